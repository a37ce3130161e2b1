"""The register's data items by their DSMeld numbers, and what each service may read (BMeldDigiV § 5).

XMeld names every item of the residents' register by its number in the Datensatz für das Meldewesen
(DSMeld). The numbers below are those of the items' groups as BMeldDigiV cites them; a vendor plugin
maps them to the fields of its XMeld edition (docs/residents.md). Addresses are dicts with street,
house_number, postcode and town; dates are ISO strings; lists stay lists.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

FAMILY_NAME = "0101"
GIVEN_NAMES = "0301"
CALLED_NAME = "0302"  # the given name in everyday use (gebräuchlicher Vorname)
DOCTORATE = "0401"
BIRTH_DATE = "0601"
BIRTH_PLACE = "0602"
SEX = "0701"
NATIONALITIES = "1001"
LEGAL_REPRESENTATIVES = "0902"
MAIN_ADDRESS = "1201"
SECONDARY_ADDRESSES = "1202"
MOVED_IN_ON = "1301"
SPOUSE = "1501"  # the spouse or civil partner: {"person": register id, "name": ...}
BLOCKS = "1801"  # the blockings stored for the person (Auskunftssperre, Übermittlungssperren)
DEATH_DATE = "0801"

LABELS = {
    FAMILY_NAME: _("Family name"),
    GIVEN_NAMES: _("Given names"),
    CALLED_NAME: _("Given name in everyday use"),
    DOCTORATE: _("Doctorate"),
    BIRTH_DATE: _("Date of birth"),
    BIRTH_PLACE: _("Place of birth"),
    SEX: _("Sex"),
    NATIONALITIES: _("Nationalities"),
    LEGAL_REPRESENTATIVES: _("Legal representatives"),
    SPOUSE: _("Spouse or civil partner"),
    MAIN_ADDRESS: _("Main residence"),
    SECONDARY_ADDRESSES: _("Secondary residences"),
    MOVED_IN_ON: _("Moved in on"),
    BLOCKS: _("Blockings"),
    DEATH_DATE: _("Date of death"),
}

# What a citizen's own data are matched on (BMeldDigiV § 4) and what a simple Meldebescheinigung shows
# (§ 18(1) BMG, BMeldDigiV § 5(1)).
MATCH = (FAMILY_NAME, GIVEN_NAMES, BIRTH_DATE, MAIN_ADDRESS)
CERTIFICATE_SIMPLE = (FAMILY_NAME, GIVEN_NAMES, CALLED_NAME, DOCTORATE, BIRTH_DATE, MAIN_ADDRESS, SECONDARY_ADDRESSES)
# The extended certificate adds, among others, place of birth, sex, nationalities, the moving-in date and
# that no date of death is stored (§ 18(2) BMG, BMeldDigiV § 5(2)).
CERTIFICATE_EXTENDED = (
    *CERTIFICATE_SIMPLE,
    BIRTH_PLACE,
    SEX,
    NATIONALITIES,
    LEGAL_REPRESENTATIVES,
    MOVED_IN_ON,
    DEATH_DATE,
)

# --- blockings ---------------------------------------------------------------------------------------

INFORMATION_BLOCK = "auskunftssperre"  # § 51 BMG: no information about the person without hearing them
# § 50(2) BMG in its part for the couple: a person's objection to passing on the wedding anniversaries. It is in
# force for the couple while both spouses' entries are stored; the portal writes both once the second spouse
# confirmed (docs/residents.md).
WEDDING_ANNIVERSARIES = "50-2-ehe"
# The five objections to transfers (Übermittlungssperren), free, without a reason, until withdrawn; § 50(2) in its
# two parts, the person's own birthdays and the couple's wedding anniversaries.
TRANSFER_OBJECTIONS = {
    "36-2": _("§ 36(2) BMG: to the Bundeswehr, for information about service"),
    "42-3": _("§ 42(3) BMG: to a religious community that a family member belongs to"),
    "50-1": _("§ 50(1) BMG: to parties and voter groups before elections"),
    "50-2": _("§ 50(2) BMG: birthdays to the press and office holders"),
    WEDDING_ANNIVERSARIES: _("§ 50(2) BMG: wedding anniversaries to the press and office holders (both spouses)"),
    "50-3": _("§ 50(3) BMG: to publishers of address books"),
}
BLOCK_KINDS = (INFORMATION_BLOCK, *TRANSFER_OBJECTIONS)
