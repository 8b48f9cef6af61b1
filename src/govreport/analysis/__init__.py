"""Questions asked of parsed reports: policy attention by theme, word frequencies and new slogans, and promises
of one year matched to the next year's review."""
