"""Example answers for the spec: one fictional clinic and one fictional patient throughout.

Northside PT (America/New_York) and Rosa (EMR-20931, +16175550123): first visit on Nov 10 with
pain 7; her day-3 reply of pain 9 opened an urgent flag that Maria (therapist 2) handled; a
second visit on Nov 24 (pain 6, the sessions example); on Nov 27 she answered 4 in the app,
3 points better than her baseline. Every example is checked against its schema by the suite.
"""
