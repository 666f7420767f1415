"""`izdes demo`: a database filled with synthetic responses, so that the dashboard, the admin
API and `izdes report` have figures on the first run, and tests and benchmarks have periods to
compare.

- ``trends``: what the figures show (levels by service and region, seasons, and the named
  cells that clearly worsen or improve over the last months: tests and later work use them);
- ``shares``: who answers what (services, channels, languages, the other choices);
- ``people``: one synthetic respondent's answers, walked through the survey as data;
- ``comments``: short comments in Turkish, a few in Arabic and English, with no names;
- ``links``: the demo's muhtar links, and the responses that come through them;
- ``dataset``: every row, from a seed; ``fill``: into the database, then released.

Everything made is marked: responses and links with ``demo``, respondents by a key that no
real code can be (storage.demo). A database that holds anything else is refused.
"""
