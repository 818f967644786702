"""Regenerate models/national/{districts,regions}.csv (seeded; see renaissance.roster)."""

from renaissance.roster import write_national_roster

if __name__ == "__main__":
    write_national_roster()
