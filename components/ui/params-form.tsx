'use client';
/**
 * A settings form generated from a node kind's zod params schema: enums become selects,
 * booleans checkboxes, strings and numbers inputs. Labels come from the schema's descriptions,
 * else from the param name ("replacePattern" → "Replace pattern").
 */
import { useMemo } from 'react';
import { z } from 'zod';
import { nodeKinds, type NodeType } from '@/nodes';

interface JsonSchemaProp {
  type?: string;
  enum?: (string | number)[];
  description?: string;
  minimum?: number;
  maximum?: number;
}

const labelOf = (key: string, prop: JsonSchemaProp) =>
  prop.description ?? key.replace(/([A-Z])/g, ' $1').replace(/^./, (c) => c.toUpperCase()).toLowerCase().replace(/^./, (c) => c.toUpperCase());

const schemaCache = new Map<string, Record<string, JsonSchemaProp>>();
function propsOf(type: NodeType): Record<string, JsonSchemaProp> {
  let props = schemaCache.get(type);
  if (!props) {
    const json = z.toJSONSchema(nodeKinds[type].params, { io: 'input', unrepresentable: 'any' }) as {
      properties?: Record<string, JsonSchemaProp>;
    };
    props = json.properties ?? {};
    schemaCache.set(type, props);
  }
  return props;
}

export function ParamsForm(props: {
  type: NodeType;
  params: Record<string, unknown>;
  hidden?: readonly string[];
  optionLabels?: Record<string, Record<string, string>>;
  onChange(patch: Record<string, unknown>, coalesceKey?: string): void;
  idPrefix: string;
}) {
  const fields = useMemo(() => Object.entries(propsOf(props.type)).filter(([k]) => !props.hidden?.includes(k)), [props.type, props.hidden]);
  if (fields.length === 0) return null;
  return (
    <div className="grid gap-2 text-sm">
      {fields.map(([key, prop]) => {
        const id = `${props.idPrefix}-${key}`;
        const value = props.params[key];
        if (prop.type === 'boolean') {
          return (
            <label key={key} htmlFor={id} className="flex items-center gap-2">
              <input id={id} type="checkbox" checked={Boolean(value)} onChange={(e) => props.onChange({ [key]: e.target.checked })} />
              {labelOf(key, prop)}
            </label>
          );
        }
        return (
          <label key={key} htmlFor={id} className="grid gap-1">
            <span className="text-xs font-medium text-slate-500 dark:text-slate-400">{labelOf(key, prop)}</span>
            {prop.enum ? (
              <select
                id={id}
                className="field"
                value={String(value ?? '')}
                onChange={(e) => props.onChange({ [key]: prop.type === 'number' ? Number(e.target.value) : e.target.value })}
              >
                {prop.enum.map((option) => (
                  <option key={String(option)} value={String(option)}>
                    {props.optionLabels?.[key]?.[String(option)] ?? String(option)}
                  </option>
                ))}
              </select>
            ) : (
              <input
                id={id}
                className="field"
                type={prop.type === 'number' || prop.type === 'integer' ? 'number' : 'text'}
                min={prop.minimum}
                max={prop.maximum}
                value={String(value ?? '')}
                onChange={(e) =>
                  props.onChange(
                    { [key]: prop.type === 'number' || prop.type === 'integer' ? Number(e.target.value) : e.target.value },
                    `${props.idPrefix}:${key}`,
                  )
                }
              />
            )}
          </label>
        );
      })}
    </div>
  );
}
