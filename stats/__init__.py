"""Survey statistics and disclosure control: pure computation that storage and admin share.

It knows nothing of databases or HTTP: cell totals and their figures (survey_statistics),
which cells of a period are published (disclosure, ranges, secondary, withholding, release),
and the periods themselves (periods)."""
