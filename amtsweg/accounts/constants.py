from django.utils.translation import gettext_lazy as _

# Groups whose permissions are created by a data migration and by create_demo_staff.
CATALOGUE_EDITORS = "Katalogredaktion"
CATALOGUE_EDITORS_LABEL = _("Catalogue editors")
# Case workers who may refund fees, and the city treasury that exports the day's bookings.
REFUNDS = "Erstattungen"
TREASURY = "Stadtkasse"
# Location admins who set booking rules, counters, closures and durations.
APPOINTMENT_ADMINS = "Terminverwaltung"
# Department staff who read their services' survey results and tag improvement ideas.
FEEDBACK_ANALYSTS = "Rückmeldungen"
# Leadership: the survey results of all services, and the raffle's winners.
LEADERSHIP = "Leitung"
