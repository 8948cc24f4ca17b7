//! Other desks' changes as they commit: the audit trigger announces each on
//! [`crate::schema::CHANGES_CHANNEL`], and an open desk listens on its own connection.

use std::time::Duration;

use crate::StoreError;
use crate::schema::CHANGES_CHANNEL;

/// One committed change of one row.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
pub struct Change {
    /// The table, without its schema.
    pub layer: String,
    pub feature_id: Option<String>,
    /// `INSERT`, `UPDATE` or `DELETE`.
    pub op: String,
}

/// A connection that listens for changes.
pub struct Listener {
    client: postgres::Client,
}

impl Listener {
    /// Starts listening on `url`'s store.
    pub fn new(url: &str) -> Result<Self, StoreError> {
        let mut client = crate::connect(url)?;
        client
            .batch_execute(&format!("LISTEN {CHANGES_CHANNEL}"))
            .map_err(StoreError::sql("cannot listen for the store's changes"))?;
        Ok(Self { client })
    }

    /// The changes announced so far, waiting up to `wait` for the first when there are none
    /// (a view polls with a short wait between frames).
    pub fn changes(&mut self, wait: Duration) -> Result<Vec<Change>, StoreError> {
        use postgres::fallible_iterator::FallibleIterator as _;
        let lost = || StoreError::sql("lost the store's change notices");
        let mut notifications = self.client.notifications();
        let Some(first) = notifications.timeout_iter(wait).next().map_err(lost())? else {
            return Ok(Vec::new());
        };
        let mut payloads = vec![first.payload().to_owned()];
        // What arrived with the first is taken without waiting again.
        let mut rest = notifications.iter();
        while let Some(n) = rest.next().map_err(lost())? {
            payloads.push(n.payload().to_owned());
        }
        Ok(payloads
            .iter()
            .filter_map(|p| serde_json::from_str(p).ok())
            .collect())
    }
}
