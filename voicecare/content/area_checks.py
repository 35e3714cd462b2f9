"""Load-time checks of ``areas.yaml`` that need the routines: every routine an ambiguous area
names exists, every answer chooses one of that area's routines, and no area word is also a
routine's keyword (the keyword would always win, and the question would never be asked);
and the routine a wrap-up suggests exists."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from voicecare.content.models import Areas, Routine


def area_problems(filename: str, areas: Areas, routines: Sequence[Routine]) -> Iterator[str]:
    routine_ids = {routine.id for routine in routines}
    keyword_of = {k.lower(): r.id for r in routines for k in r.keywords}
    for area in areas.ambiguous:
        entry = f"{filename}: area '{area.id}'"
        for index, routine_id in enumerate(area.routines):
            if routine_id not in routine_ids:
                yield f"{entry}: routines[{index}]: no routine '{routine_id}' (routines/)"
        for index, word in enumerate(area.words):
            if word.lower() in keyword_of:
                yield (
                    f"{entry}: words[{index}]: '{word}' is also a keyword of routine "
                    f"'{keyword_of[word.lower()]}'; keep it in one place"
                )
        for answer, routine_id in area.answers.items():
            if routine_id not in area.routines:
                yield (
                    f"{entry}: answers.{answer}: '{routine_id}' is not one of this area's "
                    f"routines ({', '.join(area.routines)})"
                )


def suggestion_problems(routines: Sequence[Routine], routines_dir: str) -> Iterator[str]:
    """A routine's ``suggests`` names another routine that exists."""
    routine_ids = {routine.id for routine in routines}
    for routine in routines:
        if routine.suggests is not None and (
            routine.suggests not in routine_ids or routine.suggests == routine.id
        ):
            yield (
                f"{routines_dir}/{routine.id}.yaml: routine '{routine.id}': suggests: "
                f"'{routine.suggests}' is not another routine"
            )
