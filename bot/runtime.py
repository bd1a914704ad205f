"""What the running bot holds: the rule base (swapped whole on reload) and the state codec.

Nothing about a person lives here. Handlers read `rules` once at entry, so an update finishes on
the rule base it started with while a reload swaps in the next.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from rules import RuleSet

from .state_codec import StateCodec


@dataclass
class Runtime:
    rules: RuleSet
    codec: StateCodec
    default_language: str
    version: str
    handles: Sequence[str] = ()
    admin_ids: frozenset[int] = field(default_factory=frozenset)
