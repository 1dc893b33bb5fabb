#!/usr/bin/env node
// Decodes Confluent-framed Protobuf bytes with the real
// @kafkajs/confluent-schema-registry client against a schema registry
// (`schemactl serve`) and checks the result against the message's JSON.
//
//   node kafkajs_decode.cjs --registry URL --in OUTFILE --json JSONFILE [--message FULL.NAME]
//
// SCHEMACTL_CLIENTS_NODE names a directory whose node_modules holds the
// client (tests/clients/package.json, installed by scripts/test.sh).
//
// registry.decode() does GET /schemas/ids/{id}, then GET
// /subjects/{subject}/versions/{version} for every reference, transitively,
// parses all the .proto texts into one protobufjs Root and decodes the payload
// as the first message of the root schema. It returns a protobufjs message,
// which differs from proto3 JSON in representation only, so both sides are
// compared field by field, walking the protobufjs type:
//   - names: protobufjs camelCases field names (exp_month -> expMonth); JSON
//     keys may be the proto name or the lowerCamel JSON name, so both are
//     reduced to lowerCamel before matching. An unknown JSON key is an error.
//   - absent = default: proto3 JSON may omit default scalars, the decoded
//     message falls back to its prototype's defaults; a missing or null JSON
//     value is compared as the field's default. Message fields compare
//     presence (JSON null/absent <=> decoded null), and each oneof must have
//     the same member set.
//   - 64-bit integers: JSON has strings or numbers, protobufjs has Long
//     objects (or numbers); both compared as BigInt of their decimal text.
//   - enums: JSON has the name or the number, protobufjs the number.
//   - floats: float fields compared after Math.fround; "NaN", "Infinity" and
//     "-Infinity" strings accepted. bytes: base64 (standard or URL-safe).
//   - well-known types with a special JSON form: Timestamp (RFC 3339),
//     Duration ("1.5s"), the wrappers (bare value), FieldMask, Empty, Struct,
//     Value and ListValue (plain JSON). Any is reported as unsupported.
// Exits 1 with the path of the first difference; prints a one-line JSON
// summary on success.
'use strict';

const fs = require('fs');
const path = require('path');

const PROG = 'kafkajs_decode';

function die(msg) {
  process.stderr.write(`${PROG}: FAIL ${msg}\n`);
  process.exit(1);
}

function parseArgs(argv) {
  const out = {};
  for (let i = 0; i < argv.length; i++) {
    const m = /^--(registry|in|json|message)$/.exec(argv[i]);
    if (!m || i + 1 >= argv.length) {
      die(`usage: node ${PROG}.cjs --registry URL --in OUTFILE --json JSONFILE [--message FULL.NAME] (bad argument ${argv[i]})`);
    }
    out[m[1]] = argv[++i];
  }
  for (const k of ['registry', 'in', 'json']) if (!out[k]) die(`--${k} is required`);
  return out;
}

// protoc's JSON-name rule: drop each '_' and upper-case the next character.
function lowerCamel(name) {
  let out = '';
  let up = false;
  for (const c of name) {
    if (c === '_') up = true;
    else { out += up ? c.toUpperCase() : c; up = false; }
  }
  return out;
}

function camelToSnake(s) {
  return s.replace(/[A-Z]/g, c => '_' + c.toLowerCase());
}

const INT64 = new Set(['int64', 'uint64', 'sint64', 'fixed64', 'sfixed64']);
const INT32 = new Set(['int32', 'uint32', 'sint32', 'fixed32', 'sfixed32']);
const WRAPPERS = new Set(['DoubleValue', 'FloatValue', 'Int64Value', 'UInt64Value', 'Int32Value',
  'UInt32Value', 'BoolValue', 'StringValue', 'BytesValue'].map(n => `.google.protobuf.${n}`));

class Mismatch extends Error {}
function mismatch(where, msg) { throw new Mismatch(`${where || '<root>'}: ${msg}`); }

function bigOf(v, where) {
  if (v === null || v === undefined) return 0n;
  try {
    return BigInt(typeof v === 'number' ? v : String(v)); // Long.toString() is decimal
  } catch (_) {
    mismatch(where, `not an integer: ${JSON.stringify(v)}`);
  }
}

function floatOf(v) {
  if (v === 'NaN') return NaN;
  if (v === 'Infinity') return Infinity;
  if (v === '-Infinity') return -Infinity;
  return Number(v);
}

function bytesOf(v) {
  if (v === null || v === undefined) return Buffer.alloc(0);
  if (typeof v === 'string') return Buffer.from(v.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  return Buffer.from(v);
}

// RFC 3339 -> [seconds BigInt, nanos]
function parseTimestamp(s, where) {
  const m = /^(\d{4})-(\d\d)-(\d\d)[Tt](\d\d):(\d\d):(\d\d)(?:\.(\d{1,9}))?([Zz]|[+-]\d\d:\d\d)$/.exec(s);
  if (!m) mismatch(where, `not an RFC 3339 timestamp: ${JSON.stringify(s)}`);
  const d = new Date(0);
  d.setUTCFullYear(+m[1], +m[2] - 1, +m[3]);
  d.setUTCHours(+m[4], +m[5], +m[6], 0);
  let secs = BigInt(d.getTime() / 1000);
  if (m[8] !== 'Z' && m[8] !== 'z') {
    const sign = m[8][0] === '-' ? -1n : 1n;
    secs -= sign * (BigInt(+m[8].slice(1, 3)) * 3600n + BigInt(+m[8].slice(4, 6)) * 60n);
  }
  return [secs, m[7] ? +m[7].padEnd(9, '0') : 0];
}

// "-1.5s" -> [seconds BigInt, nanos] with the same sign
function parseDuration(s, where) {
  const m = /^(-)?(\d+)(?:\.(\d{1,9}))?s$/.exec(s);
  if (!m) mismatch(where, `not a Duration: ${JSON.stringify(s)}`);
  const neg = m[1] ? -1 : 1;
  return [BigInt(m[2]) * BigInt(neg), (m[3] ? +m[3].padEnd(9, '0') : 0) * neg];
}

function compareScalar(field, type, want, got, where) {
  const t = type;
  if (field.resolvedType && field.resolvedType.values) { // enum
    const en = field.resolvedType;
    let w = want === null || want === undefined ? 0 : want;
    if (typeof w === 'string') {
      if (!(w in en.values)) mismatch(where, `unknown ${en.fullName} value ${JSON.stringify(w)}`);
      w = en.values[w];
    }
    const g = got === null || got === undefined ? 0 : got;
    if (w !== g) mismatch(where, `enum ${g} != ${w}`);
    return;
  }
  if (INT64.has(t)) {
    const w = bigOf(want, where);
    const g = bigOf(got, where);
    if (w !== g) mismatch(where, `${g} != ${w}`);
  } else if (INT32.has(t)) {
    const w = want === null || want === undefined ? 0 : Number(want);
    const g = got === null || got === undefined ? 0 : got;
    if (w !== g) mismatch(where, `${g} != ${w}`);
  } else if (t === 'double' || t === 'float') {
    let w = want === null || want === undefined ? 0 : floatOf(want);
    if (t === 'float') w = Math.fround(w);
    const g = got === null || got === undefined ? 0 : got;
    if (!(Object.is(w, g) || w === g)) mismatch(where, `${g} != ${w}`);
  } else if (t === 'bool') {
    if ((want || false) !== (got || false)) mismatch(where, `${got} != ${want}`);
  } else if (t === 'string') {
    if ((want || '') !== (got || '')) mismatch(where, `${JSON.stringify(got)} != ${JSON.stringify(want)}`);
  } else if (t === 'bytes') {
    if (!bytesOf(want).equals(bytesOf(got))) mismatch(where, 'bytes differ');
  } else {
    mismatch(where, `unhandled field type ${t}`);
  }
}

// Returns the number of scalar values compared.
function compareValue(field, want, got, where) {
  const rt = field.resolvedType;
  if (rt && !rt.values) return compareMessage(rt, want, got, where);
  compareScalar(field, field.type, want, got, where);
  return 1;
}

// google.protobuf.Struct / ListValue / Value against plain JSON.
function compareStruct(want, got, where) {
  if (typeof want !== 'object' || want === null || Array.isArray(want)) mismatch(where, 'JSON for Struct is not an object');
  const fields = got.fields || {};
  const wk = Object.keys(want).sort();
  const gk = Object.keys(fields).sort();
  if (JSON.stringify(wk) !== JSON.stringify(gk)) mismatch(where, `Struct keys ${gk} != ${wk}`);
  let n = 0;
  for (const k of wk) n += compareJsonValue(want[k], fields[k], `${where}.${k}`);
  return n;
}

function compareList(want, got, where) {
  if (!Array.isArray(want)) mismatch(where, 'JSON for ListValue is not an array');
  const values = got.values || [];
  if (values.length !== want.length) mismatch(where, `${values.length} elements != ${want.length}`);
  let n = 0;
  want.forEach((x, i) => { n += compareJsonValue(x, values[i], `${where}[${i}]`); });
  return n;
}

function compareJsonValue(want, got, where) {
  const kind = got && got.kind; // protobufjs virtual oneof property
  const expect = want === null ? 'nullValue'
    : typeof want === 'number' ? 'numberValue'
      : typeof want === 'string' ? 'stringValue'
        : typeof want === 'boolean' ? 'boolValue'
          : Array.isArray(want) ? 'listValue' : 'structValue';
  if (kind !== expect) mismatch(where, `Value kind ${kind} != ${expect}`);
  if (expect === 'listValue') return compareList(want, got.listValue, where);
  if (expect === 'structValue') return compareStruct(want, got.structValue, where);
  if (expect !== 'nullValue' && got[kind] !== want) mismatch(where, `${JSON.stringify(got[kind])} != ${JSON.stringify(want)}`);
  return 1;
}

// Compares one message: `want` is its proto3 JSON, `got` the decoded
// protobufjs message (or null when absent). Returns the number of scalar
// values compared.
function compareMessage(type, want, got, where) {
  const absent = v => v === null || v === undefined;
  const name = type.fullName;
  // JSON null is a set NullValue for google.protobuf.Value, absence otherwise.
  if (name === '.google.protobuf.Value' && want === null && !absent(got)) return compareJsonValue(want, got, where);
  if (absent(want) || absent(got)) {
    if (absent(want) !== absent(got)) {
      mismatch(where, absent(want) ? `${name} is set, JSON has none` : `${name} is missing`);
    }
    return 0;
  }
  if (name === '.google.protobuf.Timestamp' || name === '.google.protobuf.Duration') {
    const [s, n] = name.endsWith('Timestamp') ? parseTimestamp(want, where) : parseDuration(want, where);
    if (bigOf(got.seconds, where) !== s || (got.nanos || 0) !== n) {
      mismatch(where, `${name} {${got.seconds}s ${got.nanos}ns} != ${JSON.stringify(want)}`);
    }
    return 1;
  }
  if (WRAPPERS.has(name)) {
    return compareValue(type.fields.value, want, got.value, `${where}.value`);
  }
  if (name === '.google.protobuf.FieldMask') {
    const w = want === '' ? [] : want.split(',').map(camelToSnake);
    if (JSON.stringify(w) !== JSON.stringify(got.paths || [])) mismatch(where, 'FieldMask paths differ');
    return 1;
  }
  if (name === '.google.protobuf.Struct') return compareStruct(want, got, where);
  if (name === '.google.protobuf.ListValue') return compareList(want, got, where);
  if (name === '.google.protobuf.Value') return compareJsonValue(want, got, where);
  if (name === '.google.protobuf.Any') mismatch(where, `comparison of ${name} is not implemented`);
  if (typeof want !== 'object' || Array.isArray(want)) mismatch(where, `JSON for ${name} is not an object`);

  const byCamel = {};
  for (const f of type.fieldsArray) byCamel[lowerCamel(f.name)] = f;
  const wantByField = {};
  for (const [k, v] of Object.entries(want)) {
    const f = byCamel[lowerCamel(k)];
    if (!f) mismatch(where, `JSON key ${JSON.stringify(k)} is not a field of ${name}`);
    wantByField[f.name] = v;
  }
  let n = 0;
  for (const f of type.fieldsArray) {
    f.resolve();
    const w = wantByField[f.name];
    const g = got[f.name];
    const at = `${where}.${f.name}`;
    if (f.map) {
      const wm = w || {};
      const gm = g || {};
      const wk = Object.keys(wm).sort();
      const gk = Object.keys(gm).sort();
      if (JSON.stringify(wk) !== JSON.stringify(gk)) mismatch(at, `map keys ${gk} != ${wk}`);
      for (const k of wk) n += compareValue(f, wm[k], gm[k], `${at}[${k}]`);
    } else if (f.repeated) {
      const wa = w || [];
      const ga = g || [];
      if (wa.length !== ga.length) mismatch(at, `${ga.length} elements != ${wa.length}`);
      wa.forEach((x, i) => { n += compareValue(f, x, ga[i], `${at}[${i}]`); });
    } else if (f.partOf && !f.resolvedType) {
      // Scalar oneof member (or proto3 optional): presence is checked per
      // oneof below; compare the value only when set on either side.
      if (w !== undefined || (g !== undefined && g !== null && f.name === got[f.partOf.name])) {
        n += compareValue(f, w, g, at);
      }
    } else {
      n += compareValue(f, w, g, at);
    }
  }
  for (const o of type.oneofsArray) {
    const wantSet = o.oneof.filter(m => wantByField[m] !== undefined && wantByField[m] !== null);
    if (wantSet.length > 1) mismatch(where, `JSON sets ${wantSet} of oneof ${o.name}`);
    const gotSet = got[o.name]; // protobufjs virtual oneof property: the set member's name
    if ((wantSet[0] || undefined) !== (gotSet || undefined)) {
      mismatch(`${where}.${o.name}`, `oneof member ${gotSet} != ${wantSet[0]}`);
    }
  }
  return n;
}

// JSON.parse turns integers beyond 2^53 into inexact doubles, while proto3
// JSON allows int64 values as bare numbers: quote such integer literals
// (outside strings) before parsing, so that they compare exactly.
const NUMBER = /-?\d+(\.\d+)?([eE][+-]?\d+)?/y;
function parseJsonExact(text) {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      out += text.slice(i, j + 1);
      i = j + 1;
    } else if (c === '-' || (c >= '0' && c <= '9')) {
      NUMBER.lastIndex = i;
      const m = NUMBER.exec(text);
      const tok = m ? m[0] : c;
      const isBigInt = m && !m[1] && !m[2] && !Number.isSafeInteger(Number(tok));
      out += isBigInt ? `"${tok}"` : tok;
      i += tok.length;
    } else {
      out += c;
      i += 1;
    }
  }
  return JSON.parse(out);
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const base = process.env.SCHEMACTL_CLIENTS_NODE;
  if (!base) die('SCHEMACTL_CLIENTS_NODE is not set (a directory containing node_modules)');
  const { SchemaRegistry } = require(path.join(base, 'node_modules', '@kafkajs/confluent-schema-registry'));

  const buf = fs.readFileSync(args.in);
  const want = parseJsonExact(fs.readFileSync(args.json, 'utf8'));
  const registry = new SchemaRegistry({ host: args.registry.replace(/\/+$/, ''), retry: { retries: 0 } });
  let msg;
  try {
    msg = await registry.decode(buf);
  } catch (e) {
    die(`registry.decode: ${e && e.message ? e.message : e}`);
  }
  const type = msg && msg.$type;
  if (!type) die('registry.decode did not return a protobufjs message');
  if (args.message && type.fullName !== `.${args.message}`) {
    die(`decoded as ${type.fullName.slice(1)}, expected ${args.message}`);
  }
  let fields;
  try {
    fields = compareMessage(type, want, msg, type.name);
  } catch (e) {
    if (e instanceof Mismatch) die(`decoded message differs from ${args.json}: ${e.message}`);
    throw e;
  }
  console.log(JSON.stringify({
    ok: true,
    schema_id: buf.readUInt32BE(1),
    message: type.fullName.slice(1),
    fields_compared: fields,
    in: args.in,
  }));
}

main().catch(e => {
  process.stderr.write(`${PROG}: ERROR ${e && e.stack ? e.stack : e}\n`);
  process.exit(1);
});
