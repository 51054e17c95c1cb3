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
          "400": { "$ref": "#/components/responses/MalformedRequest" },
          "401": { "$ref": "#/components/responses/Unauthorized" },
          "403": { "$ref": "#/components/responses/Forbidden" }
        }
      }
    },
    "/dashboard": {
      "get": {
        "tags": ["operations"],
        "operationId": "dashboard",
        "summary": "The operator's dashboard (one self-contained HTML page)",
        "description": "Served without a credential: the page holds no data. It asks for the REST credential, keeps it in sessionStorage, and reads /api/gateway/dashboard/snapshot every second.",
        "security": [],
        "responses": {
          "200": { "description": "The page.", "content": { "text/html; charset=utf-8": { "schema": { "type": "string" } } } }
        }
      }
    },
    "/api/gateway/dashboard/snapshot": {
      "get": {
        "tags": ["operations"],
        "operationId": "dashboardSnapshot",
        "summary": "What the dashboard shows: counts, counters, latency percentiles, connected users and their sockets",
        "parameters": [
          { "name": "q", "in": "query", "required": false, "description": "Only users whose id contains this text.", "schema": { "type": "string" } },
          { "name": "limit", "in": "query", "required": false, "description": "Most users listed, 1 to 5000 (default 500), in first-connection order.", "schema": { "type": "integer", "minimum": 1, "maximum": 5000, "default": 500 } }
        ],
        "responses": {
          "200": {
            "description": "The snapshot.",
            "content": {
              "application/json": {
                "schema": { "$ref": "#/components/schemas/DashboardSnapshot" },
                "example": { "time": "2026-12-04T10:00:00.000Z", "uptimeSeconds": 3600.5, "tcpConnections": 2, "sockets": 1, "users": 1, "counters": { "eventsReceived": 4, "eventsDelivered": 9, "bytesReceived": 5120, "bytesSent": 20480, "socketConnects": 3, "socketDisconnects": 2, "authFailures": 1, "slowConsumers": 0, "connectionsRefused": 0 }, "restLatency": { "count": 12, "p50Ms": 0.21, "p90Ms": 0.6, "p99Ms": 0.98 }, "pushLatency": { "count": 9, "p50Ms": 0.08, "p90Ms": 0.2, "p99Ms": 0.24 }, "userList": [{ "userId": "507f1f77bcf86cd799439011", "sockets": [{ "socketId": "JXvW8WMMyNeB3hS-Whl5", "transport": "websocket", "peer": "10.0.0.7:50856", "connectedAt": "2026-12-04T09:58:12.345Z" }] }], "usersListed": 1, "truncated": false }
              }
            }
          },
          "400": { "$ref": "#/components/responses/BadRequest" },
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
