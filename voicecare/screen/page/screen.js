"use strict";
// The companion page: shows each state the server sends (Server-Sent Events), counts the
// hold down locally from the moment a state arrives, and sends button presses.
(function () {
  const token = new URLSearchParams(location.search).get("token");
  const query = token ? "?token=" + encodeURIComponent(token) : "";
  const $ = (id) => document.getElementById(id);
  const RING = 2 * Math.PI * 54;
  let state = null;
  let receivedAt = 0;

  $("ring").style.strokeDasharray = RING.toFixed(2);

  function show(element, visible) {
    element.hidden = !visible;
  }

  function text(id, value) {
    const element = $(id);
    if (element.textContent !== value) element.textContent = value;
  }

  function render(next) {
    state = next;
    receivedAt = performance.now();
    const s = next;
    $("screen").className = s.ended ? "is-ended" : s.in_routine ? "is-routine" : "is-idle";
    text("routine", s.routine || "VoiceCare");
    if (s.ended) text("step-count", "Session ended");
    else if (s.in_routine) text("step-count", "Step " + s.step + " of " + s.steps);
    else if (s.advice) text("step-count", "Safety first");
    else text("step-count", "Say where it hurts");
    text("step-text", s.text);
    show($("paused"), s.paused);
    text("advice", s.advice);
    show($("advice"), Boolean(s.advice));
    text("said", s.said === s.advice ? "" : s.said);  // the advice is shown above
    text("heard", s.heard);
    show($("said-line"), Boolean($("said").textContent));
    show($("heard-line"), Boolean(s.heard));
    const list = $("can-say");
    list.replaceChildren(...s.can_say.map((phrase) => {
      const item = document.createElement("li");
      item.textContent = phrase;
      return item;
    }));
    const pause = $("btn-pause");
    pause.dataset.button = s.paused ? "resume" : "pause";
    pause.textContent = s.paused ? "Resume" : "Pause";
    for (const id of ["btn-next", "btn-back", "btn-pause"]) $(id).disabled = !s.in_routine || s.ended;
    for (const id of ["btn-repeat", "btn-stop"]) $(id).disabled = s.ended;
    show($("timer"), Boolean(s.timer));
    $("timer").dataset.running = String(Boolean(s.timer && s.timer.running));
    $("timer").classList.toggle("paused-now", s.paused);
    countdown();
  }

  function countdown() {
    const timer = state && state.timer;
    if (!timer) return;
    const passed = timer.running ? (performance.now() - receivedAt) / 1000 : 0;
    const left = Math.max(0, timer.left - passed);
    const fraction = timer.seconds > 0 ? left / timer.seconds : 0;
    $("ring").style.strokeDashoffset = (RING * (1 - fraction)).toFixed(2);
    text("seconds", String(Math.ceil(left - 1e-6)));
    let label = "seconds";
    if (timer.kind === "reps") {
      const done = timer.seconds - left;
      const rep = Math.min(timer.reps, Math.floor(done / (timer.seconds / timer.reps)) + 1);
      label = timer.running || timer.left < timer.seconds ? "rep " + rep + " of " + timer.reps : timer.reps + " times";
    } else if (timer.kind === "switch") {
      label = "switch sides";
    }
    text("timer-label", label);
    text("side", timer.side ? timer.side[0].toUpperCase() + timer.side.slice(1) + " side" : "");
  }

  function frame() {
    if (state && state.timer && state.timer.running) countdown();
    requestAnimationFrame(frame);
  }
  requestAnimationFrame(frame);

  function connect() {
    const events = new EventSource("events" + query);
    events.onmessage = (message) => {
      show($("connection"), false);
      render(JSON.parse(message.data));
    };
    events.onerror = () => show($("connection"), !(state && state.ended));
  }
  connect();

  function press(button) {
    if (button.disabled) return;
    fetch("press" + query, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-VoiceCare-Press": "1" },
      body: JSON.stringify({ button: button.dataset.button }),
    }).catch(() => show($("connection"), true));
  }
  document.querySelectorAll("button[data-button]").forEach((button) => {
    button.addEventListener("click", () => press(button));
  });

  // A keyboard across the room: arrows for next and back, space to pause or resume.
  const KEYS = { ArrowRight: "btn-next", ArrowLeft: "btn-back", " ": "btn-pause", r: "btn-repeat", s: "btn-stop" };
  document.addEventListener("keydown", (event) => {
    const id = KEYS[event.key];
    if (!id || event.ctrlKey || event.metaKey || event.altKey) return;
    event.preventDefault();  // space would also click a focused button, or scroll
    press($(id));
  });

  // Keep the screen on while the page is shown, where the browser allows it.
  async function stayAwake() {
    try {
      if (navigator.wakeLock && document.visibilityState === "visible") {
        await navigator.wakeLock.request("screen");
      }
    } catch (error) {
      // not allowed here (a page not served over https to another machine): no matter
    }
  }
  document.addEventListener("visibilitychange", stayAwake);
  stayAwake();
})();
