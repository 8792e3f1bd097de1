//! What an operation answers when it cannot do what was asked. The server maps each kind to an
//! HTTP status (and renders it as a page or JSON), the CLI prints it; the words are for people.

use duban_core::WorkflowError;
use duban_store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("请先登录")]
    Unauthenticated,
    #[error("无权访问：{0}")]
    Forbidden(String),
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    Conflict(String),
    #[error("{0}")]
    BadRequest(String),
    #[error("{0}")]
    TooManyRequests(String),
    /// A request body over the upload limit.
    #[error("{0}")]
    TooLarge(String),
    /// A fault of the system, not of the request. The text is the cause, for the log and the
    /// engineer at the command line; the server never shows it to people.
    #[error("内部错误：{0}")]
    Internal(String),
}

impl Error {
    pub fn internal(cause: impl std::fmt::Display) -> Error {
        Error::Internal(cause.to_string())
    }

    /// The words a person reads (without the "无权访问：" prefix of a refusal).
    pub fn message(&self) -> String {
        match self {
            Error::Forbidden(m) => m.clone(),
            other => other.to_string(),
        }
    }
}

impl From<StoreError> for Error {
    fn from(e: StoreError) -> Error {
        match e {
            StoreError::Forbidden(m) => Error::Forbidden(m),
            StoreError::NotFound { .. } => Error::NotFound(e.to_string()),
            // An action of another role is a matter of rights; one out of order, of state.
            StoreError::Workflow(WorkflowError::WrongRole { .. }) => {
                Error::Forbidden(e.to_string())
            }
            StoreError::Workflow(WorkflowError::NotAReportingPeriod { .. }) => {
                Error::BadRequest(e.to_string())
            }
            StoreError::Conflict(_) | StoreError::Workflow(_) => Error::Conflict(e.to_string()),
            StoreError::Invalid(_) => Error::BadRequest(e.to_string()),
            other => Error::Internal(other.to_string()),
        }
    }
}

impl From<duban_core::PeriodParseError> for Error {
    fn from(e: duban_core::PeriodParseError) -> Error {
        Error::BadRequest(e.to_string())
    }
}

impl From<duban_core::UnknownWord> for Error {
    fn from(e: duban_core::UnknownWord) -> Error {
        Error::BadRequest(e.to_string())
    }
}
