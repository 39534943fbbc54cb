//! The route of an endpoint that serves an entity recognizer — its status, units and the
//! recognizer's model file — in one query, for DetectEntities. Recognizer rows themselves
//! are `entity_recognizers`' own module.

use crate::db::Store;
use crate::endpoints::EndpointRoute;
use crate::error::StoreError;

impl Store {
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
