//! What can go wrong with the store, and the connection every verb starts from.

/// An error of the store, with what was being done.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("cannot connect to the store {url}: {message}")]
    Connect { url: String, message: String },
    /// A statement the database refused; `code` is its SQLSTATE (`40001`: a stale version).
    #[error("{what}: {message}")]
    Sql {
        what: String,
        message: String,
        code: Option<String>,
    },
    #[error("the store already holds a project (schema yitu exists); drop it to load another")]
    AlreadyInitialised,
    #[error("{0}")]
    InvalidRole(String),
    #[error("the project's settings in yitu.project are not readable: {0}")]
    Settings(String),
    /// The offline copy being pushed is not what its base says.
    #[error("the offline copy cannot be pushed: {0}")]
    Copy(String),
}

impl StoreError {
    /// A closure that turns a driver error into [`StoreError::Sql`] saying `what` failed.
    pub fn sql(what: impl Into<String>) -> impl FnOnce(postgres::Error) -> Self {
        let what = what.into();
        move |e| {
            let (message, code) = describe(&e);
            Self::Sql {
                what,
                message,
                code,
            }
        }
    }

    /// The SQLSTATE the database gave, if it refused a statement.
    pub fn code(&self) -> Option<&str> {
        match self {
            Self::Sql { code, .. } => code.as_deref(),
            _ => None,
        }
    }
}

/// The database's own message and SQLSTATE where there is one: the driver's display says only
/// "db error".
fn describe(e: &postgres::Error) -> (String, Option<String>) {
    match e.as_db_error() {
        Some(db) => (
            format!("{} (SQLSTATE {})", db.message(), db.code().code()),
            Some(db.code().code().to_owned()),
        ),
        None => (e.to_string(), None),
    }
}

/// A connection to the store at `url` (a libpq URL; TLS is left to the socket or tunnel).
pub fn connect(url: &str) -> Result<postgres::Client, StoreError> {
    postgres::Client::connect(url, postgres::NoTls).map_err(|e| StoreError::Connect {
        url: url.to_owned(),
        message: describe(&e).0,
    })
}
