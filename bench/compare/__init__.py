"""`make bench-compare`: the generated corpus built by kkssite, Hugo and Pelican, cold, alternately."""
