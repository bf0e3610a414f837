// Shared by the AMF tests: hex fixtures and value comparison.

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { EcmaArray, TypedObject, XmlDocument } from '../../../../../src/server/rtmp/amf';
import type { AmfValue } from '../../../../../src/server/rtmp/amf';

/** Bytes from hex written with optional spaces for readability. */
export function hex(text: string): Buffer {
  return Buffer.from(text.replace(/\s+/g, ''), 'hex');
}

/** A payload captured from a real client (see test/fixtures/amf/README.md). */
export function fixture(name: string): Buffer {
  const url = new URL(`../../../../fixtures/amf/${name}.hex`, import.meta.url);
  return hex(readFileSync(fileURLToPath(url), 'utf8'));
}


/**
 * An acyclic AMF value as plain data with its kind spelled out, because toEqual alone would
 * let an EcmaArray equal a plain object with a "properties" key.
 */
function tagged(value: AmfValue): unknown {
  if (value instanceof EcmaArray) return { ecmaArray: taggedProperties(value.properties) };
  if (value instanceof TypedObject) return { typedObject: value.className, properties: taggedProperties(value.properties) };
  if (value instanceof XmlDocument) return { xml: value.xml };
  if (value instanceof Date) return { date: value.getTime() };
  if (Buffer.isBuffer(value)) return { bytes: value.toString('hex') };
  if (Array.isArray(value)) return { array: value.map(tagged) };
  if (typeof value === 'object' && value !== null) return { object: taggedProperties(value) };
  return value;
}

function taggedProperties(properties: Record<string, AmfValue>): unknown {
  return Object.keys(properties)
    .sort()
    .map((key) => [key, tagged(properties[key])]);
}

/** Deep equality that also checks each value's kind (number -0 and NaN compare by Object.is). */
export function expectAmfEqual(actual: AmfValue | AmfValue[], expected: AmfValue | AmfValue[]): void {
  expect(tagged(actual)).toEqual(tagged(expected));
}
