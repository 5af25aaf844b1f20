// Generated from schema.ts by `UPDATE_SCHEMA=1 npm test` (test/config/schema.test.ts fails while it is stale):
// the validation keywords of schema/printers.schema.json for a printer entry and for `defaults`, read by entry-check.ts.

export const PRINTER_ENTRY_SCHEMA = {
  "type": "object",
  "properties": {
    "printer_type": {
      "type": "string",
      "minLength": 1
    },
    "host": {
      "type": "string",
      "minLength": 1
    },
    "username": {
      "type": "string",
      "minLength": 1
    },
    "password": {
      "type": "string",
      "minLength": 1
    },
    "password_env": {
      "type": "string",
      "pattern": "^[A-Za-z_][A-Za-z0-9_]*$"
    },
    "api_key": {
      "type": "string",
      "minLength": 1
    },
    "api_key_env": {
      "type": "string",
      "pattern": "^[A-Za-z_][A-Za-z0-9_]*$"
    },
    "destination": {
      "type": "string",
      "minLength": 1
    },
    "source": {
      "type": "string",
      "minLength": 1
    },
    "include": {
      "type": "array",
      "items": {
        "type": "string",
        "minLength": 1
      }
    },
    "exclude": {
      "type": "array",
      "items": {
        "type": "string",
        "minLength": 1
      }
    },
    "groups": {
      "type": "array",
      "items": {
        "type": "string",
        "minLength": 1
      }
    },
    "match_model": {
      "type": "boolean"
    }
  },
  "required": [
    "printer_type",
    "host"
  ],
  "additionalProperties": false
};

export const DEFAULTS_SCHEMA = {
  "type": "object",
  "properties": {
    "printer_type": {
      "type": "string",
      "minLength": 1
    },
    "username": {
      "type": "string",
      "minLength": 1
    },
    "password": {
      "type": "string",
      "minLength": 1
    },
    "password_env": {
      "type": "string",
      "pattern": "^[A-Za-z_][A-Za-z0-9_]*$"
    },
    "api_key": {
      "type": "string",
      "minLength": 1
    },
    "api_key_env": {
      "type": "string",
      "pattern": "^[A-Za-z_][A-Za-z0-9_]*$"
    },
    "destination": {
      "type": "string",
      "minLength": 1
    },
    "source": {
      "type": "string",
      "minLength": 1
    },
    "include": {
      "type": "array",
      "items": {
        "type": "string",
        "minLength": 1
      }
    },
    "exclude": {
      "type": "array",
      "items": {
        "type": "string",
        "minLength": 1
      }
    },
    "groups": {
      "type": "array",
      "items": {
        "type": "string",
        "minLength": 1
      }
    },
    "match_model": {
      "type": "boolean"
    }
  },
  "additionalProperties": false
};
