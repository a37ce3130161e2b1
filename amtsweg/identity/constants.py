from amtsweg.catalogue.constants import TrustLevel

# Lowest to highest; a session at a level satisfies every level below it.
LEVEL_ORDER = (TrustLevel.NONE, TrustLevel.BASIC, TrustLevel.SUBSTANTIAL, TrustLevel.HIGH)


def level_rank(level: str) -> int:
    try:
        return LEVEL_ORDER.index(TrustLevel(level))
    except ValueError:
        return -1


def level_satisfies(have: str, need: str) -> bool:
    return level_rank(have) >= level_rank(need) >= 0


# Session limits per level (serviceportal-machbar.de guidelines): (total, idle) in seconds.
SESSION_LIMITS: dict[str, tuple[int, int]] = {
    TrustLevel.HIGH: (30 * 60, 5 * 60),
    TrustLevel.SUBSTANTIAL: (2 * 3600, 30 * 60),
    TrustLevel.BASIC: (12 * 3600, 60 * 60),
}
