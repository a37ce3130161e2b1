"""Kfz-Zulassung (vehicle registration): the department's own field types and rules.

``fields.py`` registers the field types ``vin``, ``evb`` and ``licence_plate``
with the form engine when it is imported (the app config imports it on start).
"""
