// Validates Kubernetes manifests offline: each document against the Kubernetes API schema of its apiVersion and kind
// (the JSON schemas bundled in the kubernetes-models package: types, required fields, enums, formats), every field
// name against the API's models (the field maps of @kubernetes/client-node: an unknown or misspelt field is refused,
// as the API server's strict validation does), then the project's own rules for the cml-cds Deployment. Usage: node validate.mjs FILE.yaml...   |   node validate.mjs --self-test (broken manifests must fail)
import { readFileSync } from "node:fs";
import { parseAllDocuments } from "yaml";
import * as api from "@kubernetes/client-node/dist/gen/models/ObjectSerializer.js";

/** Field names not in the API's model of the object, with their paths. */
function unknownFields(value, type, path, found) {
  if (value === null || typeof value !== "object") return found;
  let m = /^Array<(.+)>$/.exec(type);
  if (m) {
    if (Array.isArray(value)) value.forEach((v, i) => unknownFields(v, m[1], `${path}[${i}]`, found));
    return found;
  }
  m = /^\{ \[key: string\]: (.+); \}$/.exec(type);
  if (m) {
    for (const [k, v] of Object.entries(value)) unknownFields(v, m[1], `${path}.${k}`, found);
    return found;
  }
  const model = api[type];
  if (!model?.getAttributeTypeMap) return found;
  const attributes = model.getAttributeTypeMap();
  for (const [k, v] of Object.entries(value)) {
    const attribute = attributes.find((a) => a.baseName === k);
    if (!attribute) found.push(`${path}.${k}: unknown field (${type})`);
    else unknownFields(v, attribute.type, `${path}.${k}`, found);
  }
  return found;
}

/** apps/v1 Deployment -> V1Deployment; autoscaling/v2 HorizontalPodAutoscaler -> V2HorizontalPodAutoscaler. */
const modelName = (apiVersion, kind) => {
  const version = apiVersion.split("/").pop();
  return version.charAt(0).toUpperCase() + version.slice(1) + kind;
};

async function model(apiVersion, kind) {
  const path = apiVersion.includes("/") ? apiVersion : `v1`;
  try {
    const module = await import(`kubernetes-models/${path}`);
    return module[kind];
  } catch {
    return undefined;
  }
}

function rules(doc) {
  const problems = [];
  if (doc.kind !== "Deployment") return problems;
  const spec = doc.spec ?? {};
  const pod = spec.template?.spec ?? {};
  if (!(spec.replicas >= 2)) problems.push("replicas must be 2 or more");
  if (pod.securityContext?.runAsNonRoot !== true) problems.push("pod securityContext.runAsNonRoot must be true");
  for (const c of pod.containers ?? []) {
    const at = `container ${c.name}`;
    if (c.readinessProbe?.httpGet?.path !== "/readyz") problems.push(`${at}: readinessProbe must GET /readyz`);
    if (c.livenessProbe?.httpGet?.path !== "/healthz") problems.push(`${at}: livenessProbe must GET /healthz`);
    if (c.securityContext?.readOnlyRootFilesystem !== true) problems.push(`${at}: readOnlyRootFilesystem must be true`);
    if (c.securityContext?.allowPrivilegeEscalation !== false) problems.push(`${at}: allowPrivilegeEscalation must be false`);
    if (!c.resources?.requests?.cpu || !c.resources?.requests?.memory || !c.resources?.limits?.memory) problems.push(`${at}: resources need cpu and memory requests and a memory limit`);
    if (!(c.envFrom ?? []).some((e) => e.secretRef)) problems.push(`${at}: secrets must come from a Secret (envFrom secretRef)`);
  }
  return problems;
}

async function validateText(name, text) {
  const problems = [];
  const docs = parseAllDocuments(text);
  let count = 0;
  for (const [i, parsed] of docs.entries()) {
    if (parsed.errors.length > 0) {
      problems.push(`${name}#${i + 1}: YAML: ${parsed.errors[0].message}`);
      continue;
    }
    const doc = parsed.toJS();
    if (doc === null || doc === undefined) continue;
    count++;
    const at = `${name}#${i + 1} ${doc.kind ?? "?"}/${doc.metadata?.name ?? "?"}`;
    const Model = await model(doc.apiVersion ?? "", doc.kind ?? "");
    if (!Model) {
      problems.push(`${at}: no Kubernetes schema for apiVersion ${doc.apiVersion} kind ${doc.kind}`);
      continue;
    }
    try {
      new Model(doc).validate();
    } catch (e) {
      problems.push(`${at}: ${e.message.split("\n").slice(0, 4).join(" ")}`);
    }
    const type = modelName(doc.apiVersion, doc.kind);
    if (!api[type]?.getAttributeTypeMap) problems.push(`${at}: no API model ${type} to check field names against`);
    else for (const p of unknownFields(doc, type, "", [])) problems.push(`${at}: ${p}`);
    for (const p of rules(doc)) problems.push(`${at}: ${p}`);
  }
  return { problems, count };
}

async function selfTest() {
  const broken = {
    "unknown field": "apiVersion: v1\nkind: Service\nmetadata: {name: x}\nspec: {portz: [{port: 80}]}\n",
    "wrong type": "apiVersion: v1\nkind: Service\nmetadata: {name: x}\nspec: {ports: [{port: eighty}]}\n",
    "misspelt nested field": readFileSync(new URL("../deployment.yaml", import.meta.url), "utf8").replace("readOnlyRootFilesystem", "readonlyRootFilesystem"),
    "unknown kind": "apiVersion: apps/v1\nkind: Deploymnet\nmetadata: {name: x}\n",
    "one replica": readFileSync(new URL("../deployment.yaml", import.meta.url), "utf8").replace("replicas: 3", "replicas: 1"),
  };
  let failed = 0;
  for (const [what, text] of Object.entries(broken)) {
    const { problems } = await validateText(what, text);
    if (problems.length === 0) {
      console.error(`self-test: a manifest with ${what} was not refused`);
      failed++;
    }
  }
  return failed;
}

const files = process.argv.slice(2);
if (files[0] === "--self-test") {
  const failed = await selfTest();
  console.log(failed === 0 ? "self-test: every broken manifest refused" : `self-test: ${failed} broken manifests accepted`);
  process.exit(failed === 0 ? 0 : 1);
}
if (files.length === 0) {
  console.error("usage: node validate.mjs FILE.yaml... (or --self-test)");
  process.exit(2);
}
let problems = [];
let count = 0;
for (const file of files) {
  const result = await validateText(file, readFileSync(file, "utf8"));
  problems = problems.concat(result.problems);
  count += result.count;
}
for (const p of problems) console.error(p);
console.log(`${count} Kubernetes objects in ${files.length} files: ${problems.length === 0 ? "valid" : `${problems.length} problems`}`);
process.exit(problems.length === 0 ? 0 : 1);
