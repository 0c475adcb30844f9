/**
 * A JSON Schema (draft-07) of the OCEL 2.0 JSON format, written from the OCEL 2.0 specification
 * (ocel-standard.org, "OCEL 2.0 Specification", JSON serialisation): the four top-level
 * collections; object and event types with typed attributes; objects with time-stamped
 * attribute values and qualified object-to-object relationships; events with an id, a type,
 * a time, attribute values and qualified event-to-object relationships. What a schema cannot
 * say (relationships point at existing objects, types are declared, values fit the declared
 * attribute types) the export tests check besides.
 */
const ISO_INSTANT = '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?(Z|[+-]\\d{2}:\\d{2})$';

export const OCEL2_JSON_SCHEMA = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  title: 'OCEL 2.0 JSON',
  type: 'object',
  required: ['objectTypes', 'eventTypes', 'objects', 'events'],
  properties: {
    objectTypes: { type: 'array', items: { $ref: '#/definitions/type' } },
    eventTypes: { type: 'array', items: { $ref: '#/definitions/type' } },
    objects: {
      type: 'array',
      items: {
        type: 'object',
        required: ['id', 'type'],
        additionalProperties: false,
        properties: {
          id: { type: 'string', minLength: 1 },
          type: { type: 'string', minLength: 1 },
          attributes: {
            type: 'array',
            items: {
              type: 'object',
              required: ['name', 'time', 'value'],
              additionalProperties: false,
              properties: { name: { type: 'string', minLength: 1 }, time: { type: 'string', pattern: ISO_INSTANT }, value: { $ref: '#/definitions/value' } },
            },
          },
          relationships: { type: 'array', items: { $ref: '#/definitions/relationship' } },
        },
      },
    },
    events: {
      type: 'array',
      items: {
        type: 'object',
        required: ['id', 'type', 'time'],
        additionalProperties: false,
        properties: {
          id: { type: 'string', minLength: 1 },
          type: { type: 'string', minLength: 1 },
          time: { type: 'string', pattern: ISO_INSTANT },
          attributes: {
            type: 'array',
            items: {
              type: 'object',
              required: ['name', 'value'],
              additionalProperties: false,
              properties: { name: { type: 'string', minLength: 1 }, value: { $ref: '#/definitions/value' } },
            },
          },
          relationships: { type: 'array', items: { $ref: '#/definitions/relationship' } },
        },
      },
    },
  },
  definitions: {
    type: {
      type: 'object',
      required: ['name', 'attributes'],
      additionalProperties: false,
      properties: {
        name: { type: 'string', minLength: 1 },
        attributes: {
          type: 'array',
          items: {
            type: 'object',
            required: ['name', 'type'],
            additionalProperties: false,
            properties: { name: { type: 'string', minLength: 1 }, type: { enum: ['string', 'time', 'integer', 'float', 'boolean'] } },
          },
        },
      },
    },
    relationship: {
      type: 'object',
      required: ['objectId', 'qualifier'],
      additionalProperties: false,
      properties: { objectId: { type: 'string', minLength: 1 }, qualifier: { type: 'string', minLength: 1 } },
    },
    value: { type: ['string', 'number', 'boolean'] },
  },
} as const;
