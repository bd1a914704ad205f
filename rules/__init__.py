"""exempt-bot's rule base: cited, dated rules on call-up (mobilization under Decree 647,
conscription, reservists' assemblies), and an engine that evaluates facts as of a day, plans the
interview and explains itself. Never imports `telegram`."""

from .engine import Choice, RuleSet, today_in_moscow
from .facts import FACTS, Facts, FactsError, FactSpec, validate_facts
from .loader import DEFAULT_RULES_DIR, load, rules_version
from .models import MECHANISMS, Question
from .verdict import STRENGTH, DateOut, GroundOut, MechanismOut, Verdict
from .yamlload import RuleBaseError, RuleBaseErrors

__all__ = [
    "DEFAULT_RULES_DIR",
    "FACTS",
    "MECHANISMS",
    "STRENGTH",
    "Choice",
    "DateOut",
    "FactSpec",
    "Facts",
    "FactsError",
    "GroundOut",
    "MechanismOut",
    "Question",
    "RuleBaseError",
    "RuleBaseErrors",
    "RuleSet",
    "Verdict",
    "load",
    "rules_version",
    "today_in_moscow",
    "validate_facts",
]
