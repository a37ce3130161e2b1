"""The answer keys of the contact form that code reads (forms/zuwanderung-kontakt.yaml lists them all)."""

SERVICE = "zuwanderung-kontakt"

# Topics whose request, made before the permit expires, keeps the permit in force (§ 81 Abs. 4 AufenthG).
TOPICS_WITH_RECEIPT = frozenset({"extend_permit", "fiktion"})
