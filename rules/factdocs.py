"""What each fact of the contract means, for `python -m rules facts` and the docs (English).

Every key of FACTS has an entry (tests/test_rules_facts.py checks it)."""

from __future__ import annotations

from typing import Any

from .facts import FACTS, LEGACY_IMPLIES

MEANINGS: dict[str, str] = {
    "sex": "The person asked about: male or female.",
    "birth_date": "Date of birth, YYYY-MM-DD (not asked by the interview; the finest birth fact).",
    "birth_year": "Year of birth (asked when the age band straddles a limit).",
    "birth_month": "Month of birth, 1-12; needs birth_year.",
    "age": "Age in full years on the as-of day (the interview sets it from an age band).",
    "citizen": "Has Russian citizenship (dual citizenship counts as true).",
    "military_status": "Military registration status: reserve (military ID, incl. category V), "
                       "serving_conscript (doing conscript service now), serving_contract "
                       "(contract serviceman or mobilized), not_in_reserve (a conscript with a "
                       "registration certificate, or a woman without a military specialty), "
                       "retired (off the register for age or health). Living abroad and "
                       "deregistered does not change it.",
    "rank": "Military rank group, for the reserve age limit.",
    "fitness": "Fitness category: A, B (fit), V (limited), G (temporarily unfit), D (unfit).",
    "conviction": "Criminal record or case: none; grave (grave or especially grave, not on the "
                  "special list); grave_excluded (on the list, grave); listed_minor (on the "
                  "list, minor or medium gravity); under_investigation. A spent conviction, or "
                  "a minor one off the list, is 'none'.",
    "student": "Studies, and in what form: none, full_time, evening, distance.",
    "student_program_ok": "Legacy (old clients): true = state-accredited programme taken for the "
                          "first time; implies student_programme and student_first_time.",
    "children_under_16": "Number of dependent children under 16 on the as-of day.",
    "raises_children_alone": "A man who raises his children without the mother.",
    "wife_pregnant_22w": "His wife is at least 22 weeks pregnant (never for a woman).",
    "disabled_child": "He has a child with a disability (a disabled child, under 18).",
    "cares_for_relative": "Constant care of a close relative with a group I disability or an "
                          "MSE finding of need for constant care, no one else legally obliged.",
    "guardian_of_sibling": "Guardian of a minor full brother or sister, no one else obliged.",
    "mother_alone_with_4_under_8": "His mother raises four or more other children under 8 "
                                   "without a husband.",
    "parliament_member": "Member of the Federation Council or State Duma deputy.",
    "reserved_by_employer": "Reserved (bron) by the employer, with a deferral certificate.",
    "sector": "Where the person works, for the 2022 sector deferrals.",
    "accredited_employer": "The employer meets the sector deferral's conditions (an accredited "
                           "IT company, a telecom operator, a listed outlet, bank, or plant).",
    "higher_education": "Has a higher-education degree.",
    "on_employer_list": "The employer put the employee on its deferral list.",
    "student_programme": "The programme: accredited (state-accredited: college, university, "
                         "residency), postgraduate, unaccredited.",
    "student_first_time": "Takes this level of education for the first time.",
    "conscientious_objector": "Military service goes against his beliefs or religion, or he "
                              "belongs to a small indigenous people with a traditional way of "
                              "life (113-FZ Art. 2): the right to alternative civilian service.",
    "abroad": "Lives permanently abroad: no (lives in Russia); deregistered (removed from the "
              "military register on leaving); registered (still on the register).",
    "reserve_contract": "A reservist's contract to stay in the mobilization human reserve "
                        "(e.g. BARS); needs military_status reserve.",
    "academic_degree": "Holds a scientific degree (candidate or doctor of sciences).",
    "relative_died_in_service": "His father or full brother died in the line of military duty "
                                "or at military assemblies.",
}


def describe(asked_by: dict[str, str] | None = None) -> list[dict[str, Any]]:
    """Every fact in contract order: name, type, allowed values or range, meaning, and the
    question that asks it (None when no question does)."""
    legacy = {key for key, _ in LEGACY_IMPLIES}
    out: list[dict[str, Any]] = []
    for spec in FACTS.values():
        item: dict[str, Any] = {"name": spec.key, "type": spec.kind}
        if spec.kind == "enum":
            item["values"] = list(spec.values)
        elif spec.kind == "bool":
            item["values"] = [True, False]
        elif spec.kind == "int":
            item["minimum"], item["maximum"] = spec.minimum, spec.maximum
        else:
            item["format"] = "YYYY-MM-DD"
        item["meaning"] = MEANINGS[spec.key]
        item["question"] = (asked_by or {}).get(spec.key)
        item["legacy"] = spec.key in legacy
        out.append(item)
    return out
