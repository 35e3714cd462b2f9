"""PlaybackReference and CaptureTimeline: pure bookkeeping on given times."""

from __future__ import annotations

import numpy as np

from voicecare.echo import CaptureTimeline, PlaybackReference

RATE = 16_000


def pcm(values) -> bytes:
    return np.asarray(values, dtype="<i2").tobytes()


def samples(data: bytes) -> list[int]:
    return np.frombuffer(data, dtype="<i2").tolist()


def test_a_line_is_found_where_it_played_and_silence_elsewhere():
    reference = PlaybackReference(RATE)
    line = np.arange(1, 1601)  # 0.1 s
    reference.started(10.0, reference.prepare(pcm(line), RATE))
    got = samples(reference.samples(10.0 - 0.01, 320))  # 10 ms before it, then 10 ms into it
    assert got[:160] == [0] * 160
    assert got[160:] == list(range(1, 161))
    assert samples(reference.samples(10.2, 160)) == [0] * 160  # after it ended


def test_a_line_cut_off_stops_there():
    reference = PlaybackReference(RATE)
    reference.started(5.0, reference.prepare(pcm(np.full(16_000, 1000)), RATE))
    reference.stopped(5.5)
    got = samples(reference.samples(5.4, 3200))
    assert got[:1600] == [1000] * 1600
    assert got[1600:] == [0] * 1600
    assert reference.last_sound_end() == 5.5


def test_a_slipped_line_is_placed_again_from_where_it_slipped():
    reference = PlaybackReference(RATE)
    prepared = reference.prepare(pcm(np.arange(1, 3201)), RATE)
    reference.started(1.0, prepared)
    reference.started(1.2, prepared, seconds_in=0.1)  # its second half, 0.1 s late
    got = samples(reference.samples(1.1, 1600))
    assert got == [0] * 1600  # the gap
    assert samples(reference.samples(1.2, 10)) == list(range(1601, 1611))


def test_other_rates_are_resampled():
    reference = PlaybackReference(RATE)
    assert len(reference.prepare(pcm(np.zeros(22_050)), 22_050)) == RATE


def test_capture_timeline_counts_samples_from_the_earliest_read():
    timeline = CaptureTimeline(RATE)
    # Reads return 30 ms apart, plus a 20 ms input latency; one read is 50 ms late.
    delays = [0.0, 0.0, 0.05, 0.0, 0.0]
    starts = [
        timeline.chunk_start(100.0 + 0.03 * (n + 1) + 0.02 + late, 480)
        for n, late in enumerate(delays)
    ]
    assert np.allclose(np.diff(starts), 0.03)  # exact spacing despite the late read
    assert abs(starts[0] - 100.02) < 1e-9


def test_capture_timeline_follows_a_drop_once_the_window_has_passed():
    timeline = CaptureTimeline(RATE, window_seconds=0.3)
    for n in range(20):
        timeline.chunk_start(0.03 * (n + 1), 480)
    # 0.1 s of audio was lost: reads now come 0.1 s later than the count says.
    for n in range(20, 40):
        start = timeline.chunk_start(0.03 * (n + 1) + 0.1, 480)
    assert abs(start - (0.03 * 39 + 0.1)) < 1e-9
