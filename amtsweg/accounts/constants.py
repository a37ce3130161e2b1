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
# Leadership: the usage figures and survey results of all services, and the raffle's winners.
LEADERSHIP = "Leitung"
# Leads of a department: their departments' usage figures and audit logs, and their survey results.
DEPARTMENT_LEADS = "Abteilungsleitung"
# Case workers who record the counter's transactions for the usage figures (by hand or as a CSV import).
COUNTER_RECORDERS = "Schalterzahlen"
