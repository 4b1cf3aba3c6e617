"""UN M49 geographic regions (codes and English names) used to place local governments."""

from __future__ import annotations

REGIONS = {"002": "Africa", "009": "Oceania", "019": "Americas", "142": "Asia", "150": "Europe"}

SUB_REGIONS = {
    "015": "Northern Africa", "202": "Sub-Saharan Africa", "419": "Latin America and the Caribbean",
    "021": "Northern America", "143": "Central Asia", "030": "Eastern Asia", "035": "South-eastern Asia",
    "034": "Southern Asia", "145": "Western Asia", "151": "Eastern Europe", "154": "Northern Europe",
    "039": "Southern Europe", "155": "Western Europe", "053": "Australia and New Zealand", "054": "Melanesia",
    "057": "Micronesia", "061": "Polynesia",
}

INTERMEDIATE_REGIONS = {
    "014": "Eastern Africa", "017": "Middle Africa", "018": "Southern Africa", "011": "Western Africa",
    "029": "Caribbean", "013": "Central America", "005": "South America", "830": "Channel Islands",
}

ALL = {**REGIONS, **SUB_REGIONS, **INTERMEDIATE_REGIONS}
