//! The SQL of schema `yitu`: the audit log and the version rule as triggers, and the rights of
//! each kind of desk as grants and row-level security, so that every client meets them.

use std::fmt::Write as _;

/// The audit log. Only its owner (the role that ran `store init`) may change it: the trigger
/// that appends to it runs with the owner's rights, and no other role is granted more than
/// SELECT.
pub const AUDIT_TABLE: &str = "CREATE TABLE yitu.audit (
    id bigserial PRIMARY KEY,
    at timestamptz NOT NULL DEFAULT now(),
    role text NOT NULL,
    op text NOT NULL,
    layer text NOT NULL,
    feature_id text,
    old jsonb,
    new jsonb
)";

/// The project's settings (name, layers' names, kinds and styles, bookmarks, rasters): read by
/// every desk, changed by the city.
pub const SETTINGS_TABLE: &str =
    "CREATE TABLE yitu.project (key text PRIMARY KEY, value jsonb NOT NULL)";

/// The two trigger functions. `session_user` is the person's login role whoever owns the
/// function; `TG_TABLE_NAME` is the table without its schema. Every change is also announced
/// on channel [`CHANGES_CHANNEL`] (see [`crate::live`]).
pub const FUNCTIONS: &str = "
CREATE FUNCTION yitu.record_change() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
BEGIN
    INSERT INTO yitu.audit (at, role, op, layer, feature_id, old, new)
    VALUES (
        clock_timestamp(), session_user, TG_OP, TG_TABLE_NAME,
        CASE WHEN TG_OP = 'DELETE' THEN OLD.id ELSE NEW.id END,
        CASE WHEN TG_OP = 'INSERT' THEN NULL ELSE to_jsonb(OLD) END,
        CASE WHEN TG_OP = 'DELETE' THEN NULL ELSE to_jsonb(NEW) END
    );
    -- Open desks LISTEN on this channel; the notice goes out when the change commits.
    PERFORM pg_notify('yitu_changes', json_build_object(
        'layer', TG_TABLE_NAME,
        'feature_id', CASE WHEN TG_OP = 'DELETE' THEN OLD.id ELSE NEW.id END,
        'op', TG_OP
    )::text);
    RETURN NULL;
END
$$;

CREATE FUNCTION yitu.check_version() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog AS $$
BEGIN
    IF NEW.version IS DISTINCT FROM OLD.version + 1 THEN
        RAISE EXCEPTION 'stale version of %.%: it is at %, the update sets %',
            TG_TABLE_NAME, OLD.id, OLD.version, NEW.version
            USING ERRCODE = '40001',
                  HINT = 'read the row again and set version to the version read plus one';
    END IF;
    RETURN NEW;
END
$$;
";

/// The channel changes are announced on, as `{"layer", "feature_id", "op"}`.
pub const CHANGES_CHANNEL: &str = "yitu_changes";

/// A group role's name for a kind of desk.
pub const CITY: &str = "yitu_city";
pub const VIEWER: &str = "yitu_viewer";

/// The group role of the district with GB/T 2260 code `code`.
pub fn district_role(code: &str) -> String {
    format!("yitu_district_{code}")
}

pub use yitu_layers::sql::{ident, literal};

/// Creates the group roles that do not exist yet (roles belong to the whole server, so another
/// database's store may have made them).
pub fn group_roles(districts: &[String]) -> String {
    let mut roles = vec![CITY.to_owned(), VIEWER.to_owned()];
    roles.extend(districts.iter().map(|d| district_role(d)));
    let mut sql = String::new();
    for r in &roles {
        let _ = writeln!(
            sql,
            "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = {lit}) THEN \
             CREATE ROLE {id} NOLOGIN; END IF; END $$;",
            lit = literal(r),
            id = ident(r)
        );
    }
    sql
}

/// The triggers, grants and row-level security of table `yitu.<table>`. Tables with a district
/// column are seen and changed by each district's members only where the row is theirs; others
/// are read by every desk and changed by the city.
pub fn table_rules(table: &str, has_district: bool, districts: &[String]) -> String {
    let t = format!("yitu.{}", ident(table));
    let mut sql = format!(
        "CREATE TRIGGER version_rule BEFORE UPDATE ON {t} FOR EACH ROW EXECUTE FUNCTION yitu.check_version();
CREATE TRIGGER audit AFTER INSERT OR UPDATE OR DELETE ON {t} FOR EACH ROW EXECUTE FUNCTION yitu.record_change();
REVOKE ALL ON {t} FROM PUBLIC;
GRANT SELECT, INSERT, UPDATE, DELETE ON {t} TO {CITY};
GRANT SELECT ON {t} TO {VIEWER};
"
    );
    let writes = if has_district {
        "SELECT, INSERT, UPDATE, DELETE"
    } else {
        "SELECT"
    };
    for d in districts {
        let _ = writeln!(
            sql,
            "GRANT {writes} ON {t} TO {};",
            ident(&district_role(d))
        );
    }
    if has_district {
        let _ = write!(
            sql,
            "ALTER TABLE {t} ENABLE ROW LEVEL SECURITY;
CREATE POLICY city ON {t} TO {CITY} USING (true) WITH CHECK (true);
CREATE POLICY viewer ON {t} FOR SELECT TO {VIEWER} USING (true);
"
        );
        for d in districts {
            let _ = writeln!(
                sql,
                "CREATE POLICY {p} ON {t} TO {r} USING (district = {c}) WITH CHECK (district = {c});",
                p = ident(&format!("district_{d}")),
                r = ident(&district_role(d)),
                c = literal(d)
            );
        }
    }
    sql
}

/// Rights on the schema, the project's settings, its binary data and the audit log: every
/// desk reads the settings, the data and the log of what it may see; the city changes the
/// settings and the data; no one but the owner writes the log.
pub fn audit_rules(districts: &[String]) -> String {
    let mut sql = format!(
        "REVOKE ALL ON yitu.audit FROM PUBLIC;
GRANT USAGE ON SCHEMA yitu TO {CITY}, {VIEWER};
GRANT SELECT ON yitu.audit, yitu.project, yitu.blobs TO {CITY}, {VIEWER};
GRANT INSERT, UPDATE, DELETE ON yitu.project, yitu.blobs TO {CITY};
ALTER TABLE yitu.audit ENABLE ROW LEVEL SECURITY;
CREATE POLICY everything ON yitu.audit FOR SELECT TO {CITY}, {VIEWER} USING (true);
"
    );
    for d in districts {
        let r = ident(&district_role(d));
        let _ = write!(
            sql,
            "GRANT USAGE ON SCHEMA yitu TO {r};
GRANT SELECT ON yitu.audit, yitu.project, yitu.blobs TO {r};
CREATE POLICY {p} ON yitu.audit FOR SELECT TO {r}
    USING (coalesce(new ->> 'district', old ->> 'district') = {c});
",
            p = ident(&format!("district_{d}")),
            c = literal(d)
        );
    }
    sql
}
