"""Domain services: what the registry does, knowing nothing of HTTP.

The API, the seed loader, the importer and the CLI all call these functions (design.md §1,
"one write path").
"""
