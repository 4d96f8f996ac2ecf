//! Backups: when to remind the practitioner to export one.
//!
//! Clientbook's data lives only in this browser. A bundle export is the
//! backup. The reminder appears when the browser may clear the data (storage
//! is not persistent) and the last backup is more than a day old, or when
//! the last backup is older than the chosen number of days (Settings,
//! default 14, or never). "Remind me later" snoozes it for three days. No
//! reminder in the demo practice, nor before there is any data.
//!
//! Pure: the caller supplies the stored [`BackupState`] (one `meta` record)
//! and the [`Facts`] of the moment.

use super::time::Timestamp;
use serde::{Deserialize, Serialize};

const DAY_MS: i64 = 86_400_000;

/// The default reminder interval, in days.
pub const DEFAULT_REMIND_AFTER_DAYS: u32 = 14;
/// The intervals offered in Settings.
pub const REMIND_AFTER_CHOICES: [u32; 5] = [7, 14, 30, 60, 90];
/// How long "Remind me later" keeps the reminder away.
pub const SNOOZE_DAYS: i64 = 3;
/// Without persistent storage the browser may clear the data at any time: a
/// backup older than this is reminded.
pub const NOT_PERSISTENT_DAYS: i64 = 1;

/// How often to remind.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum RemindAfter {
    /// When the last backup is this many days old.
    Days(u32),
    Never,
}

impl Default for RemindAfter {
    fn default() -> Self {
        Self::Days(DEFAULT_REMIND_AFTER_DAYS)
    }
}

/// What is kept about backups (the `meta` record `backup`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct BackupState {
    /// When everything was last exported as a bundle.
    pub last_export: Option<Timestamp>,
    /// When Clientbook first saw data that had no backup: the clock starts
    /// there, so a practice started today is not reminded today.
    pub since: Option<Timestamp>,
    /// "Remind me later": no reminder before this time.
    pub snoozed_until: Option<Timestamp>,
    pub remind_after: RemindAfter,
}

impl BackupState {
    /// After a full export at `at`: the clock restarts, a snooze is over.
    pub fn exported(&mut self, at: Timestamp) {
        self.last_export = Some(at);
        self.snoozed_until = None;
    }

    /// "Remind me later", pressed at `now`.
    pub fn snooze(&mut self, now: Timestamp) {
        self.snoozed_until = Some(Timestamp(now.0 + SNOOZE_DAYS * DAY_MS));
    }

    /// Data was seen at `now`: starts the clock if nothing has yet.
    pub fn data_seen(&mut self, now: Timestamp) -> bool {
        let start = self.last_export.is_none() && self.since.is_none();
        if start {
            self.since = Some(now);
        }
        start
    }
}

/// What is true at the moment of asking.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Facts {
    pub now: Timestamp,
    /// Any account stored.
    pub has_data: bool,
    /// The demo practice is open.
    pub demo: bool,
    /// Whether the browser keeps the data persistently (`None`: it does not say).
    pub persistent: Option<bool>,
}

/// Why the reminder is shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reminder {
    /// The browser may clear the data and the last backup (if any) is more
    /// than a day old.
    NotPersistent { last_export: Option<Timestamp> },
    /// The last backup (if any) is older than the chosen interval; `days`
    /// since it (or since the data appeared).
    Overdue {
        last_export: Option<Timestamp>,
        days: i64,
    },
}

/// Whether to remind now, and why.
pub fn reminder(state: &BackupState, facts: &Facts) -> Option<Reminder> {
    if facts.demo || !facts.has_data {
        return None;
    }
    let RemindAfter::Days(days) = state.remind_after else {
        return None;
    };
    if state.snoozed_until.is_some_and(|until| facts.now < until) {
        return None;
    }
    // No clock yet: the data has just appeared (the caller starts it).
    let start = state.last_export.or(state.since)?;
    let age = facts.now.0 - start.0;
    let last_export = state.last_export;
    if facts.persistent == Some(false) && age >= NOT_PERSISTENT_DAYS * DAY_MS {
        return Some(Reminder::NotPersistent { last_export });
    }
    (age >= i64::from(days) * DAY_MS).then_some(Reminder::Overdue {
        last_export,
        days: age / DAY_MS,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: Timestamp = Timestamp(1_795_305_600_000);

    fn days_ago(d: i64) -> Option<Timestamp> {
        Some(Timestamp(NOW.0 - d * DAY_MS))
    }

    fn facts() -> Facts {
        Facts {
            now: NOW,
            has_data: true,
            demo: false,
            persistent: Some(true),
        }
    }

    fn exported(d: i64) -> BackupState {
        BackupState {
            last_export: days_ago(d),
            ..BackupState::default()
        }
    }

    #[test]
    fn reminds_when_the_last_export_is_older_than_the_interval() {
        assert_eq!(reminder(&exported(13), &facts()), None);
        assert_eq!(
            reminder(&exported(14), &facts()),
            Some(Reminder::Overdue {
                last_export: days_ago(14),
                days: 14
            })
        );
        let weekly = BackupState {
            remind_after: RemindAfter::Days(7),
            ..exported(8)
        };
        assert!(matches!(
            reminder(&weekly, &facts()),
            Some(Reminder::Overdue { days: 8, .. })
        ));
    }

    #[test]
    fn never_exported_counts_from_when_the_data_appeared() {
        let mut state = BackupState::default();
        // No clock yet: nothing to say; the clock starts now.
        assert_eq!(reminder(&state, &facts()), None);
        assert!(state.data_seen(Timestamp(NOW.0 - 20 * DAY_MS)));
        assert!(!state.data_seen(NOW), "the clock starts once");
        assert_eq!(
            reminder(&state, &facts()),
            Some(Reminder::Overdue {
                last_export: None,
                days: 20
            })
        );
        state.since = days_ago(2);
        assert_eq!(reminder(&state, &facts()), None);
    }

    #[test]
    fn not_persistent_storage_reminds_after_a_day() {
        let f = Facts {
            persistent: Some(false),
            ..facts()
        };
        let today = BackupState {
            last_export: Some(Timestamp(NOW.0 - DAY_MS + 1)),
            ..BackupState::default()
        };
        assert_eq!(reminder(&today, &f), None);
        assert_eq!(
            reminder(&exported(2), &f),
            Some(Reminder::NotPersistent {
                last_export: days_ago(2)
            })
        );
        // Unknown persistence is not treated as refused.
        let unknown = Facts {
            persistent: None,
            ..facts()
        };
        assert_eq!(reminder(&exported(2), &unknown), None);
    }

    #[test]
    fn never_in_the_demo_without_data_when_turned_off_or_snoozed() {
        let old = exported(100);
        assert!(reminder(&old, &facts()).is_some());
        let demo = Facts {
            demo: true,
            ..facts()
        };
        assert_eq!(reminder(&old, &demo), None);
        let empty = Facts {
            has_data: false,
            ..facts()
        };
        assert_eq!(reminder(&old, &empty), None);
        let off = BackupState {
            remind_after: RemindAfter::Never,
            ..old.clone()
        };
        assert_eq!(reminder(&off, &facts()), None);
        let mut snoozed = old.clone();
        snoozed.snooze(Timestamp(NOW.0 - DAY_MS));
        assert_eq!(reminder(&snoozed, &facts()), None);
        let later = Facts {
            now: Timestamp(NOW.0 + 2 * DAY_MS),
            ..facts()
        };
        assert!(reminder(&snoozed, &later).is_some(), "a snooze lasts three days");
    }

    #[test]
    fn an_export_restarts_the_clock_and_ends_a_snooze() {
        let mut state = exported(30);
        state.snooze(NOW);
        state.exported(NOW);
        assert_eq!(state.snoozed_until, None);
        assert_eq!(reminder(&state, &facts()), None);
        let later = Facts {
            now: Timestamp(NOW.0 + 15 * DAY_MS),
            ..facts()
        };
        assert!(matches!(
            reminder(&state, &later),
            Some(Reminder::Overdue { days: 15, .. })
        ));
    }

    #[test]
    fn stored_state_reads_back_and_defaults_for_missing_fields() {
        let state = BackupState {
            last_export: days_ago(3),
            since: days_ago(40),
            snoozed_until: None,
            remind_after: RemindAfter::Never,
        };
        let json = serde_json::to_string(&state).unwrap();
        assert_eq!(serde_json::from_str::<BackupState>(&json).unwrap(), state);
        let old: BackupState = serde_json::from_str("{}").unwrap();
        assert_eq!(old.remind_after, RemindAfter::Days(DEFAULT_REMIND_AFTER_DAYS));
    }
}
