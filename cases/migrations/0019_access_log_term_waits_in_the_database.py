"""The access log's retention term waits in the database too (ADR 0015, 0017). The application
role may change retention terms (each organisation's, through the pages), and the owner's
access_log_prune reads the log's term: without this, a stolen application connection could
shorten the log's term at once, past the delay and the privacy officers' notice.

On PostgreSQL a trigger on cases_retentionterm lets the application role, for the access log's
row: lengthen the term; announce a shorter one only from a day ahead (the pages use
RETENTION_CHANGE_DELAY_DAYS, at least a day); put the announced one in force once its date has
come; never delete the row or move it to another kind or organisation. The owner role (the one
that owns the table: migrate, access_log_prune) is not held, as it is not by the log's own
triggers' purpose. And what the application role writes into the access log is written now
(a row cannot be backdated) and is never a removal ("prune", the owner's). SQLite has no
roles: nothing to add there."""

from django.db import migrations

MESSAGE = "retention term of the access log"

POSTGRESQL = [
    f"""
    CREATE OR REPLACE FUNCTION cases_retentionterm_access_log_waits() RETURNS trigger AS $$
    DECLARE
        owner oid;
    BEGIN
        SELECT relowner INTO owner FROM pg_class WHERE oid = TG_RELID;
        IF pg_has_role(current_user, owner, 'MEMBER') THEN
            RETURN COALESCE(NEW, OLD);
        END IF;
        IF OLD.kind <> 'access_log' THEN
            IF NEW.kind = 'access_log' THEN
                RAISE EXCEPTION '{MESSAGE}: a row of another kind cannot become it'
                    USING ERRCODE = 'insufficient_privilege';
            END IF;
            RETURN COALESCE(NEW, OLD);
        END IF;
        IF TG_OP = 'DELETE' THEN
            RAISE EXCEPTION '{MESSAGE}: DELETE refused' USING ERRCODE = 'insufficient_privilege';
        END IF;
        IF NEW.kind <> OLD.kind OR NEW.organisation_id IS DISTINCT FROM OLD.organisation_id THEN
            RAISE EXCEPTION '{MESSAGE}: it stays the installation''s'
                USING ERRCODE = 'insufficient_privilege';
        END IF;
        IF NEW.months < OLD.months AND NOT (
            OLD.pending_months IS NOT NULL
            AND NEW.months = OLD.pending_months
            AND OLD.pending_from <= now()
        ) THEN
            RAISE EXCEPTION '{MESSAGE}: a shorter term holds only from its announced date'
                USING ERRCODE = 'insufficient_privilege';
        END IF;
        IF NEW.pending_months IS NOT NULL
           AND (NEW.pending_months IS DISTINCT FROM OLD.pending_months
                OR NEW.pending_from IS DISTINCT FROM OLD.pending_from)
           AND NEW.pending_from < now() + interval '1 day' THEN
            RAISE EXCEPTION '{MESSAGE}: a shorter term is announced at least a day ahead'
                USING ERRCODE = 'insufficient_privilege';
        END IF;
        RETURN NEW;
    END;
    $$ LANGUAGE plpgsql;
    """,
    """
    CREATE TRIGGER cases_retentionterm_access_log_waits
    BEFORE UPDATE OR DELETE ON cases_retentionterm
    FOR EACH ROW EXECUTE FUNCTION cases_retentionterm_access_log_waits();
    """,
]
# What the application role writes into the log happens now, and the log's own rows about
# removing rows (action "prune") are the owner's (ADR 0017).
POSTGRESQL += [
    """
    CREATE OR REPLACE FUNCTION cases_accesslog_written_now() RETURNS trigger AS $$
    DECLARE
        owner oid;
    BEGIN
        SELECT relowner INTO owner FROM pg_class WHERE oid = TG_RELID;
        IF pg_has_role(current_user, owner, 'MEMBER') THEN
            RETURN NEW;
        END IF;
        IF NEW.action = 'prune' THEN
            RAISE EXCEPTION 'the access log: only its owner writes a removal'
                USING ERRCODE = 'insufficient_privilege';
        END IF;
        NEW.at := now();
        RETURN NEW;
    END;
    $$ LANGUAGE plpgsql;
    """,
    """
    CREATE TRIGGER cases_accesslog_written_now
    BEFORE INSERT ON cases_accesslog
    FOR EACH ROW EXECUTE FUNCTION cases_accesslog_written_now();
    """,
]
POSTGRESQL_REVERSE = [
    "DROP TRIGGER IF EXISTS cases_accesslog_written_now ON cases_accesslog;",
    "DROP FUNCTION IF EXISTS cases_accesslog_written_now();",
    "DROP TRIGGER IF EXISTS cases_retentionterm_access_log_waits ON cases_retentionterm;",
    "DROP FUNCTION IF EXISTS cases_retentionterm_access_log_waits();",
]


def run(statements):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement, params=None)

    return apply


class Migration(migrations.Migration):
    dependencies = [("cases", "0018_emergency_access_requests")]

    operations = [migrations.RunPython(run(POSTGRESQL), run(POSTGRESQL_REVERSE))]
