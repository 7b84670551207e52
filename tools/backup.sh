#!/bin/sh
# The nightly backup: pg_dump -Fc of the portal's database into BACKUP_DIR, keeping the
# newest BACKUP_KEEP dumps (README, "Backups"). Cron, as the portal's user:
#   15 1 * * *  DATABASE_URL=postgres://… BACKUP_DIR=/var/backups/portal /srv/portal/tools/backup.sh
# Restore one (into a new, empty database):
#   createdb --template=template0 portal_restored
#   pg_restore --no-owner --exit-on-error -d portal_restored /var/backups/portal/portal-….dump
# Check one monthly: manage.py restore_drill --from-dump /var/backups/portal/portal-….dump
set -eu

: "${DATABASE_URL:?set DATABASE_URL=postgres://user:password@host:5432/name}"
BACKUP_DIR="${BACKUP_DIR:-/var/backups/portal}"
BACKUP_KEEP="${BACKUP_KEEP:-14}"

case "$DATABASE_URL" in
    postgres://* | postgresql://*) ;;
    *) echo "backup.sh: DATABASE_URL must be a postgres:// address" >&2; exit 2 ;;
esac
case "$BACKUP_KEEP" in
    '' | *[!0-9]* | 0) echo "backup.sh: BACKUP_KEEP must be a whole number above 0" >&2; exit 2 ;;
esac

mkdir -p "$BACKUP_DIR"
stamp="$(date -u +%Y%m%dT%H%M%SZ)"
target="$BACKUP_DIR/portal-$stamp.dump"
# Written under a temporary name and renamed once complete, so a dump cut short by a
# failure is never taken for a backup (and never counts towards the ones kept).
pg_dump -Fc --no-owner --dbname="$DATABASE_URL" --file="$target.partial"
pg_restore --list "$target.partial" > /dev/null  # the archive reads back
mv "$target.partial" "$target"
echo "backup.sh: wrote $target ($(wc -c < "$target") bytes)"

# Keep the newest BACKUP_KEEP dumps (the names sort by time).
ls -1 "$BACKUP_DIR"/portal-*.dump | sort -r | tail -n +"$((BACKUP_KEEP + 1))" | while read -r old; do
    rm -f -- "$old"
    echo "backup.sh: removed $old"
done
