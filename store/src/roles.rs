//! The kinds of desk and `store grant`: a login role per person, member of one group role.

use std::str::FromStr;

use crate::StoreError;
use crate::schema::{self, ident, literal};
use crate::tables::is_district_code;

/// What a person may do, as a group role of the store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Role {
    /// The city corps: everything.
    City,
    /// Read only, everything.
    Viewer,
    /// One district's members: their district's rows only.
    District(String),
}

impl FromStr for Role {
    type Err = StoreError;

    /// `city`, `viewer` or `district:<six-digit code>`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "city" => Ok(Self::City),
            "viewer" => Ok(Self::Viewer),
            _ => match s.strip_prefix("district:") {
                Some(code) if is_district_code(code) => Ok(Self::District(code.to_owned())),
                _ => Err(StoreError::InvalidRole(format!(
                    "role {s:?}: give city, viewer or district:<six-digit code>"
                ))),
            },
        }
    }
}

impl Role {
    /// The group role's name.
    pub fn group(&self) -> String {
        match self {
            Self::City => schema::CITY.to_owned(),
            Self::Viewer => schema::VIEWER.to_owned(),
            Self::District(code) => schema::district_role(code),
        }
    }
}

/// Makes `user` a login role (if it is not one yet) that inherits `role`'s rights, and nothing
/// more: no role creation, no right to grant its group on.
pub fn grant(client: &mut postgres::Client, user: &str, role: &Role) -> Result<(), StoreError> {
    let valid = !user.is_empty()
        && user.len() <= 63
        && user.starts_with(|c: char| c.is_ascii_lowercase() || c == '_')
        && user
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if !valid {
        return Err(StoreError::InvalidRole(format!(
            "user {user:?}: a login name is lower-case letters, digits and _"
        )));
    }
    let group = role.group();
    let has_group = client
        .query_opt("SELECT 1 FROM pg_roles WHERE rolname = $1", &[&group])
        .map_err(StoreError::sql("cannot look up the group role"))?;
    if has_group.is_none() {
        return Err(StoreError::InvalidRole(format!(
            "no group role {group} in this server: is the district in the project, and has \
             `yitu store init` run?"
        )));
    }
    client
        .batch_execute(&format!(
            "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = {lit}) THEN \
             CREATE ROLE {id} LOGIN INHERIT NOCREATEROLE NOCREATEDB; END IF; END $$;
             GRANT {g} TO {id};",
            lit = literal(user),
            id = ident(user),
            g = ident(&group)
        ))
        .map_err(StoreError::sql(format!("cannot grant {group} to {user}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_parse_as_the_cli_writes_them() {
        assert_eq!("city".parse::<Role>().ok(), Some(Role::City));
        assert_eq!(
            "district:500112".parse::<Role>().ok(),
            Some(Role::District("500112".into()))
        );
        assert!("district:5001".parse::<Role>().is_err());
        assert!("admin".parse::<Role>().is_err());
    }
}
