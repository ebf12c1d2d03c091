"""Reading ketacost's small TOML files (the price sheet, the coverage file) safely, with
FILE:LINE for problems.
"""
