//! The simulated SageMaker Studio world around a call: the world model, the action
//! catalogue, the request-context builder, the CloudTrail generator and scenario documents.
