"""Demo data: the five seed agencies with cases whose annual reports reproduce their published tables."""
