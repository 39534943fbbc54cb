//! What serving needs of an entity recognizer version — its status and model file — in
//! one query over the recognizer table, and the route of an endpoint that serves one.
//! Recognizer rows themselves (create, train, delete) are `entity_recognizers`' own
//! module; this is the read side the endpoints and entities detection jobs use.

use comprehend_protocol::ModelStatus;

use crate::db::Store;
use crate::endpoints::EndpointRoute;
use crate::error::StoreError;

/// A recognizer version as serving sees it.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct RecognizerModel {
    /// ARN of the version.
    pub arn: String,
    /// Account.
    pub account: String,
    /// Region.
    pub region: String,
    /// Status.
    #[sqlx(try_from = "String")]
    pub status: ModelStatus,
    /// The trained model's file in the private model store, once trained.
    pub model_key: Option<String>,
}

impl Store {
    /// A recognizer version's status and model file, by ARN.
    pub async fn recognizer_model(&self, arn: &str) -> Result<Option<RecognizerModel>, StoreError> {
        Ok(sqlx::query_as(
            "SELECT arn, account, region, status, model_key FROM entity_recognizers WHERE arn = ?",
        )
        .bind(arn)
        .fetch_optional(&self.pool)
        .await?)
    }

    /// The status, units and model file of an endpoint serving a recognizer (the hot
    /// path of DetectEntities).
    pub async fn recognizer_endpoint_route(
        &self,
        arn: &str,
    ) -> Result<Option<EndpointRoute>, StoreError> {
        Ok(sqlx::query_as(
            "SELECT e.status AS status, COALESCE(e.current_inference_units, e.desired_inference_units) AS inference_units,
                    r.model_key AS model_key
             FROM endpoints e LEFT JOIN entity_recognizers r ON r.arn = e.model_arn WHERE e.arn = ?",
        )
        .bind(arn)
        .fetch_optional(&self.pool)
        .await?)
    }
}
