"""The published results: home page figures, the results index, unit and methodology pages."""
