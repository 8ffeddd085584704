"""Charts drawn in the browser by ECharts (from npm, served locally), their options built here."""
