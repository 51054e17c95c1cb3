extension OpenAPIDocument {
  /// The operator's routes: health, metrics, this document.
  static let opsPaths = #"""
    "/healthz": {
      "get": {
        "tags": ["operations"],
        "operationId": "health",
        "summary": "Liveness and readiness for load balancers",
        "security": [],
        "responses": {
          "200": {
            "description": "Serving.",
            "content": { "application/json": { "schema": { "$ref": "#/components/schemas/HealthResponse" }, "example": { "status": "ok" } } }
          },
          "503": {
            "description": "Draining for shutdown (SIGTERM/SIGINT): take it out of rotation.",
            "content": { "application/json": { "schema": { "$ref": "#/components/schemas/HealthResponse" }, "example": { "status": "draining" } } }
          }
        }
      }
    },
    "/metrics": {
      "get": {
        "tags": ["operations"],
        "operationId": "metrics",
        "summary": "Prometheus metrics (text exposition format 0.0.4)",
        "description": "Counters, gauges and histograms prefixed `gateway_`. Takes the REST API's credential, or GATEWAY_METRICS_TOKEN, which reads this route and nothing else.",
        "security": [{ "bearerAuth": [] }, { "metricsToken": [] }],
        "responses": {
          "200": {
            "description": "The exposition.",
            "content": {
              "text/plain; version=0.0.4; charset=utf-8": {
                "schema": { "type": "string" },
                "example": "# HELP gateway_users_connected Users with at least one connected socket.\n# TYPE gateway_users_connected gauge\ngateway_users_connected 1\n"
              }
            }
          },
          "401": { "$ref": "#/components/responses/Unauthorized" },
          "403": { "$ref": "#/components/responses/Forbidden" }
        }
      }
    },
    "/api/gateway/openapi.json": {
      "get": {
        "tags": ["operations"],
        "operationId": "openAPI",
        "summary": "This document",
        "description": "Served without a credential: it describes the API and holds nothing secret.",
        "security": [],
        "responses": {
          "200": {
            "description": "OpenAPI 3.1.",
            "content": { "application/json": { "schema": { "type": "object" } } }
          }
        }
      }
    }
    """#
}
