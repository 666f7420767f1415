"""The PDF report to the centre: a province's or Türkiye's released figures on A4."""
