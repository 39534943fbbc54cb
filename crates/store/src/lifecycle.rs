//! Every resource's lifecycle in one place: its statuses, the transitions allowed
//! between them, and the job that moves a resource on from each transitional status.
//!
//! Every status change goes through [`crate::Tx`]'s transitions, which only move a row
//! from a status this table allows for the target status, so a worker and a
//! Stop/Update/Delete request racing on the same row cannot both win, and no call site
//! can skip the check. ARCHITECTURE.md shows the same tables; a test compares them.
//!
//! The statuses are the API model's enums (Amazon Comprehend API Reference, data types
//! `ModelStatus`, `EndpointStatus`, `FlywheelStatus`, `DatasetStatus`,
//! `FlywheelIterationStatus`, `JobStatus`).

use comprehend_protocol::{
    DatasetStatus, EndpointStatus, FlywheelIterationStatus, FlywheelStatus, JobStatus, ModelStatus,
};

use crate::jobs::JobKind;

/// A resource's status type and its state machine.
pub trait Lifecycle: Copy + Eq + std::fmt::Debug + Send + Sync + 'static {
    /// The resource, as ARCHITECTURE.md names it.
    const RESOURCE: &'static str;
    /// Each status and the statuses it may move to.
    const TRANSITIONS: &'static [(Self, &'static [Self])];

    /// The stored (and wire) spelling.
    fn spelling(self) -> &'static str;

    /// What names the job that finishes a status: a [`JobKind`], or for model versions
    /// the [`VersionJob`] that each kind names.
    type Finisher: Copy;

    /// The job that moves a resource on from this status; `None` for a status at rest
    /// (only a request changes it).
    fn finisher(self) -> Option<Self::Finisher>;

    /// Whether `from → to` is allowed.
    fn allows(from: Self, to: Self) -> bool {
        Self::TRANSITIONS
            .iter()
            .any(|(f, tos)| *f == from && tos.contains(&to))
    }

    /// The statuses a resource may be in to move to `to`.
    fn sources(to: Self) -> Vec<Self> {
        Self::TRANSITIONS
            .iter()
            .filter(|(_, tos)| tos.contains(&to))
            .map(|(from, _)| *from)
            .collect()
    }

    /// Statuses some job is responsible for finishing, with that job.
    fn transitional() -> Vec<(Self, Self::Finisher)> {
        Self::TRANSITIONS
            .iter()
            .filter_map(|(s, _)| s.finisher().map(|k| (*s, k)))
            .collect()
    }
}

/// The job that finishes a model version's transitional status, as a step: each kind
/// names its own job for it ([`crate::versions::Version::job`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VersionJob {
    /// Training (SUBMITTED, TRAINING, STOP_REQUESTED).
    Train,
    /// Removal (DELETING).
    Delete,
}

/// Model versions of both kinds (Amazon Comprehend API Reference,
/// `StopTrainingDocumentClassifier` and `StopTrainingEntityRecognizer`: TRAINING →
/// STOP_REQUESTED → STOPPED, or TRAINED when training finishes first; the Delete
/// operations: only finished versions).
impl Lifecycle for ModelStatus {
    const RESOURCE: &'static str = "model version";
    const TRANSITIONS: &'static [(Self, &'static [Self])] = {
        use ModelStatus::*;
        &[
            (Submitted, &[Training, StopRequested, InError]),
            (
                Training,
                &[
                    Training,
                    Trained,
                    TrainedWithWarning,
                    InError,
                    StopRequested,
                    Stopped,
                ],
            ),
            (
                StopRequested,
                &[Stopped, Trained, TrainedWithWarning, InError],
            ),
            (Trained, &[Deleting]),
            (TrainedWithWarning, &[Deleting]),
            (InError, &[Deleting]),
            (Stopped, &[Deleting]),
            (Deleting, &[InError]),
        ]
    };

    fn spelling(self) -> &'static str {
        self.as_str()
    }

    type Finisher = VersionJob;

    fn finisher(self) -> Option<VersionJob> {
        match self {
            ModelStatus::Submitted | ModelStatus::Training | ModelStatus::StopRequested => {
                Some(VersionJob::Train)
            }
            ModelStatus::Deleting => Some(VersionJob::Delete),
            ModelStatus::Stopped
            | ModelStatus::InError
            | ModelStatus::Trained
            | ModelStatus::TrainedWithWarning => None,
        }
    }
}

impl Lifecycle for EndpointStatus {
    const RESOURCE: &'static str = "endpoint";
    const TRANSITIONS: &'static [(Self, &'static [Self])] = {
        use EndpointStatus::*;
        &[
            (Creating, &[InService, Failed, Deleting]),
            (InService, &[Updating, Deleting]),
            (Updating, &[Updating, InService, Failed, Deleting]),
            (Failed, &[Deleting]),
            (Deleting, &[Failed]),
        ]
    };

    fn spelling(self) -> &'static str {
        self.as_str()
    }

    type Finisher = JobKind;

    fn finisher(self) -> Option<JobKind> {
        match self {
            EndpointStatus::Creating | EndpointStatus::Updating => Some(JobKind::DeployEndpoint),
            EndpointStatus::Deleting => Some(JobKind::DeleteEndpoint),
            EndpointStatus::InService | EndpointStatus::Failed => None,
        }
    }
}

impl Lifecycle for FlywheelStatus {
    const RESOURCE: &'static str = "flywheel";
    const TRANSITIONS: &'static [(Self, &'static [Self])] = {
        use FlywheelStatus::*;
        &[
            (Creating, &[Active, Failed]),
            (Active, &[Active]),
            (Failed, &[]),
        ]
    };

    fn spelling(self) -> &'static str {
        self.as_str()
    }

    type Finisher = JobKind;

    fn finisher(self) -> Option<JobKind> {
        match self {
            FlywheelStatus::Creating => Some(JobKind::CreateFlywheel),
            // UPDATING and DELETING are model values this emulator never enters: updates
            // and deletes take effect at once.
            FlywheelStatus::Active
            | FlywheelStatus::Updating
            | FlywheelStatus::Deleting
            | FlywheelStatus::Failed => None,
        }
    }
}

impl Lifecycle for DatasetStatus {
    const RESOURCE: &'static str = "dataset";
    const TRANSITIONS: &'static [(Self, &'static [Self])] = {
        use DatasetStatus::*;
        &[
            (Creating, &[Completed, Failed]),
            (Completed, &[]),
            (Failed, &[]),
        ]
    };

    fn spelling(self) -> &'static str {
        self.as_str()
    }

    type Finisher = JobKind;

    fn finisher(self) -> Option<JobKind> {
        match self {
            DatasetStatus::Creating => Some(JobKind::IngestDataset),
            DatasetStatus::Completed | DatasetStatus::Failed => None,
        }
    }
}

impl Lifecycle for FlywheelIterationStatus {
    const RESOURCE: &'static str = "iteration";
    const TRANSITIONS: &'static [(Self, &'static [Self])] = {
        use FlywheelIterationStatus::*;
        &[
            (Training, &[Evaluating, StopRequested, Stopped, Failed]),
            (Evaluating, &[Evaluating, Completed, Stopped, Failed]),
            (StopRequested, &[Evaluating, Completed, Stopped, Failed]),
            (Completed, &[]),
            (Failed, &[]),
            (Stopped, &[]),
        ]
    };

    fn spelling(self) -> &'static str {
        self.as_str()
    }

    type Finisher = JobKind;

    fn finisher(self) -> Option<JobKind> {
        match self {
            FlywheelIterationStatus::Training
            | FlywheelIterationStatus::Evaluating
            | FlywheelIterationStatus::StopRequested => Some(JobKind::RunIteration),
            FlywheelIterationStatus::Completed
            | FlywheelIterationStatus::Failed
            | FlywheelIterationStatus::Stopped => None,
        }
    }
}

/// An asynchronous analysis job's status, every family alike (API reference,
/// StopEntitiesDetectionJob and its kin: IN_PROGRESS → STOP_REQUESTED → STOPPED, or
/// COMPLETED if it finished first). A job stopped before a worker picked it up goes the
/// same way, and its worker ends it STOPPED. Families with no Stop operation (document
/// classification) never enter STOP_REQUESTED.
impl Lifecycle for JobStatus {
    const RESOURCE: &'static str = "analysis job";
    const TRANSITIONS: &'static [(Self, &'static [Self])] = {
        use JobStatus::*;
        &[
            (Submitted, &[InProgress, StopRequested, Failed]),
            (InProgress, &[InProgress, Completed, Failed, StopRequested]),
            (StopRequested, &[Stopped, Completed, Failed]),
            (Completed, &[]),
            (Failed, &[]),
            (Stopped, &[]),
        ]
    };

    fn spelling(self) -> &'static str {
        self.as_str()
    }

    type Finisher = JobKind;

    fn finisher(self) -> Option<JobKind> {
        match self {
            JobStatus::Submitted | JobStatus::InProgress | JobStatus::StopRequested => {
                Some(JobKind::AnalyzeDocuments)
            }
            JobStatus::Completed | JobStatus::Failed | JobStatus::Stopped => None,
        }
    }
}

/// A lifecycle in spellings: each status and the statuses it may move to.
pub type Rows = Vec<(&'static str, Vec<&'static str>)>;

/// Every lifecycle as (resource, rows), for documentation checks.
pub fn tables() -> Vec<(&'static str, Rows)> {
    fn table<S: Lifecycle>() -> (&'static str, Rows) {
        let rows = S::TRANSITIONS
            .iter()
            .map(|(from, tos)| (from.spelling(), tos.iter().map(|t| t.spelling()).collect()))
            .collect();
        (S::RESOURCE, rows)
    }
    vec![
        table::<ModelStatus>(),
        table::<EndpointStatus>(),
        table::<FlywheelStatus>(),
        table::<DatasetStatus>(),
        table::<FlywheelIterationStatus>(),
        table::<JobStatus>(),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every transitional status has exactly one job to finish it, and every status
    /// a job finishes appears in the table.
    #[test]
    fn transitional_statuses_have_jobs() {
        assert_eq!(
            ModelStatus::transitional().len(),
            4,
            "SUBMITTED, TRAINING, STOP_REQUESTED, DELETING"
        );
        assert!(EndpointStatus::allows(
            EndpointStatus::Deleting,
            EndpointStatus::Failed
        ));
        assert!(!ModelStatus::allows(
            ModelStatus::Trained,
            ModelStatus::Training
        ));
        assert_eq!(
            ModelStatus::sources(ModelStatus::Deleting),
            [
                ModelStatus::Trained,
                ModelStatus::TrainedWithWarning,
                ModelStatus::InError,
                ModelStatus::Stopped
            ]
        );
    }

    /// The state machines in ARCHITECTURE.md are these tables.
    #[test]
    fn architecture_md_shows_these_tables() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../ARCHITECTURE.md");
        let text = std::fs::read_to_string(path).expect("ARCHITECTURE.md");
        let section = text
            .split("## Lifecycles")
            .nth(1)
            .expect("a Lifecycles section")
            .split("\n## ")
            .next()
            .unwrap_or_default();
        let mut documented: Vec<(String, String, Vec<String>)> = Vec::new();
        for line in section.lines().filter(|l| l.starts_with("| ")) {
            let cells: Vec<&str> = line.trim_matches('|').split('|').map(str::trim).collect();
            if cells.len() != 3 || cells[0] == "resource" {
                continue;
            }
            let tos = match cells[2] {
                "—" | "-" | "" => Vec::new(),
                list => list.split(',').map(|s| s.trim().to_owned()).collect(),
            };
            documented.push((cells[0].to_owned(), cells[1].to_owned(), tos));
        }
        let mut expected = Vec::new();
        for (resource, rows) in tables() {
            for (from, tos) in rows {
                expected.push((
                    resource.to_owned(),
                    from.to_owned(),
                    tos.into_iter().map(str::to_owned).collect::<Vec<_>>(),
                ));
            }
        }
        assert_eq!(documented, expected, "ARCHITECTURE.md's Lifecycles table");
    }
}
