"""What govreport knows, read from package data (src/govreport/data): the indicator lexicon, official division
codes, national session facts and theme dictionaries. Users extend these files; no code change is needed."""
