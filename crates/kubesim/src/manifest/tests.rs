use super::*;

fn one(text: &str) -> ManifestError {
    let mut d = decode(text);
    assert_eq!(d.len(), 1, "{d:#?}");
    d.remove(0).unwrap_err()
}

fn ok(text: &str) -> Object {
    let mut d = decode(text);
    assert_eq!(d.len(), 1, "{d:#?}");
    d.remove(0).unwrap_or_else(|e| panic!("{e}\n{:#?}", e.causes))
}

const POD: &str =
    "apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\nspec:\n  containers:\n  - name: c\n    image: nginx\n";

// ---- Input forms ----

#[test]
fn decodes_multi_document_yaml_and_json() {
    let text = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\nspec:\n  containers:\n  - name: c\n    image: nginx\n---\n---\n{\"apiVersion\": \"v1\", \"kind\": \"Namespace\", \"metadata\": {\"name\": \"dev\"}}\n";
    let docs = decode(text);
    assert_eq!(docs.len(), 2);
    assert_eq!(docs[0].as_ref().unwrap().name(), "a");
    assert_eq!(docs[1].as_ref().unwrap().name(), "dev");
}

#[test]
fn leading_separator_trailing_end_marker_comments_and_empty_documents() {
    let text =
        format!("# a comment\n---\n{POD}...\n---\n# nothing here\n---\n~\n---\n{}", POD.replace("name: a", "name: b"));
    let docs = decode(&text);
    let names: Vec<&str> = docs.iter().map(|d| d.as_ref().unwrap().name()).collect();
    assert_eq!(names, ["a", "b"]);
}

#[test]
fn kyaml_flow_style_with_comments_and_trailing_commas() {
    let text = r#"---
{
  apiVersion: "v1",
  kind: "Pod",
  metadata: {
    name: "constraints-mem-demo-2", # the name
  },
  spec: {
    containers: [{
      name: "ctr",
      image: "nginx",
      resources: {
        limits: {
          memory: "1.5Gi",
        },
      },
    }],
  },
}
"#;
    assert_eq!(ok(text).name(), "constraints-mem-demo-2");
}

#[test]
fn json_with_tabs_and_a_byte_order_mark() {
    let text =
        "\u{feff}{\n\t\"apiVersion\": \"v1\",\n\t\"kind\": \"Namespace\",\n\t\"metadata\": {\"name\": \"dev\"}\n}";
    assert_eq!(ok(text).name(), "dev");
}

#[test]
fn documents_keep_their_numbers_across_empty_ones() {
    let text = format!("---\n---\n{}", POD.replace("image: nginx", "image: \"\""));
    let e = one(&text);
    assert_eq!((e.document, e.line), (2, Some(10)));
}

// ---- Kinds and versions ----

#[test]
fn every_supported_kind_decodes() {
    let text = "\
apiVersion: v1
kind: Service
metadata: {name: web}
spec: {selector: {app: web}, ports: [{port: 80, targetPort: http}]}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: web, image: nginx}]}
---
apiVersion: apps/v1
kind: ReplicaSet
metadata: {name: web}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: web, image: nginx}]}
---
apiVersion: v1
kind: ReplicationController
metadata: {name: web}
spec:
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: web, image: nginx}]}
---
apiVersion: batch/v1
kind: Job
metadata: {name: pi}
spec:
  template:
    spec:
      restartPolicy: Never
      containers: [{name: pi, image: perl}]
---
apiVersion: v1
kind: Namespace
metadata: {name: dev}
---
apiVersion: v1
kind: Node
metadata: {name: node-3}
";
    let kinds: Vec<Kind> = decode(text).into_iter().map(|d| d.unwrap().kind()).collect();
    assert_eq!(
        kinds,
        [
            Kind::Service,
            Kind::Deployment,
            Kind::ReplicaSet,
            Kind::ReplicationController,
            Kind::Job,
            Kind::Namespace,
            Kind::Node
        ]
    );
}

#[test]
fn unsupported_kind_does_not_reject_the_rest() {
    let text = "apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\n---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers: [{name: c, image: nginx}]\n";
    let docs = decode(text);
    let e = docs[0].as_ref().unwrap_err();
    assert_eq!(e.code, "UnsupportedKind");
    assert_eq!((e.line, e.column), (Some(2), Some(7)));
    assert!(e.message.starts_with("kind \"Secret\" is not supported in the playground yet (supported: Pod, Service,"));
    assert!(e.message_ko.contains("지원하지 않습니다"));
    assert_eq!(docs[1].as_ref().unwrap().name(), "p");
}

#[test]
fn wrong_api_version_names_the_right_one() {
    let e = one("apiVersion: v1\nkind: Deployment\nmetadata: {name: web}\n");
    assert_eq!(e.code, "WrongApiVersion");
    assert!(e.message.contains("no matches for kind \"Deployment\" in version \"v1\""), "{}", e.message);
    assert!(e.message.contains("`apiVersion: apps/v1`"), "{}", e.message);
    assert_eq!((e.line, e.column), (Some(1), Some(13)));
    let e = one("apiVersion: extensions/v1beta1\nkind: Deployment\nmetadata: {name: web}\n");
    assert!(e.message.contains("removed in Kubernetes 1.16"), "{}", e.message);
    let e = one("apiVersion: apps/v1\nkind: Pod\nmetadata: {name: a}\n");
    assert!(e.message.contains("`apiVersion: v1`"), "{}", e.message);
    let e = one("apiVersion: v1\nkind: Job\nmetadata: {name: a}\n");
    assert!(e.message.contains("`apiVersion: batch/v1`"), "{}", e.message);
}

#[test]
fn missing_kind_or_api_version() {
    let e = one("apiVersion: v1\nmetadata: {name: a}\n");
    assert_eq!(e.code, "MissingKind");
    assert!(e.message.starts_with("Object 'Kind' is missing"), "{}", e.message);
    let e = one("metadata: {name: a}\nspec:\n  containers: []\n");
    assert!(e.message.starts_with("error validating data: [apiVersion not set, kind not set]"), "{}", e.message);
    assert!(e.message.contains("kind: Pod"), "{}", e.message);
    let e = one("kind: Pod\nmetadata: {name: a}\n");
    assert_eq!(e.code, "MissingApiVersion");
    assert!(e.message.contains("no matches for kind \"Pod\" in version \"\""), "{}", e.message);
    assert!(e.message.contains("`apiVersion: v1`"), "{}", e.message);
}

#[test]
fn misspelt_kinds_get_a_did_you_mean() {
    let e = one("apiVersion: v1\nkind: pod\nmetadata: {name: a}\n");
    assert_eq!(e.code, "UnknownKind");
    assert!(e.message.contains("did you mean \"Pod\"?"), "{}", e.message);
    let e = one("apiVersion: apps/v1\nkind: Deploymnet\nmetadata: {name: a}\n");
    assert!(e.message.contains("did you mean \"Deployment\"?"), "{}", e.message);
    // A custom resource nobody could have meant as a built-in.
    assert_eq!(one("apiVersion: cert-manager.io/v1\nkind: Certificate\n").code, "UnsupportedKind");
}

#[test]
fn renames_are_offered_as_fixes() {
    // Two typos at their own level: each a fix at the key's position.
    let e = one("apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n  lables:\n    app: web\nspec:\n  contianers:\n  - name: c\n    image: nginx\n");
    assert_eq!(
        e.fixes,
        vec![
            Fix { line: 5, column: 3, from: "lables".into(), to: "labels".into() },
            Fix { line: 8, column: 3, from: "contianers".into(), to: "containers".into() },
        ]
    );
    // A misspelt kind: the value is renamed.
    let e = one("apiVersion: v1\nkind: pod\nmetadata: {name: a}\n");
    assert_eq!(e.fixes, vec![Fix { line: 2, column: 7, from: "pod".into(), to: "Pod".into() }]);
    // Misplaced fields and missing list dashes need more than a rename: no fix.
    let e = one("apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\nlables:\n  app: web\nspec:\n  containers:\n  - name: c\n    image: nginx\n");
    assert!(e.message.contains("belongs under metadata"), "{}", e.message);
    assert_eq!(e.fixes, vec![]);
    let e = one(&POD.replace("    image: nginx\n", "    -image: nginx\n"));
    assert_eq!(e.code, "UnknownField");
    assert_eq!(e.fixes, vec![]);
}

#[test]
fn non_objects_are_refused() {
    assert_eq!(one("- a\n- b\n").code, "NotAnObject");
    assert_eq!(one("just some text\n").code, "NotAnObject");
    assert_eq!(one("apiVersion: v1\nkind: [Pod]\n").code, "TypeMismatch");
}

// ---- Strict decoding ----

#[test]
fn unknown_field_with_path_location_and_did_you_mean() {
    let e = one(&POD.replace("    image: nginx\n", "    image: nginx\n    imagePullpolicy: Always\n"));
    assert_eq!(e.code, "UnknownField");
    assert_eq!(e.path.as_deref(), Some("spec.containers[0].imagePullpolicy"));
    assert_eq!((e.line, e.column), (Some(9), Some(5)));
    assert_eq!(
        e.message,
        "Pod in version \"v1\" cannot be handled as a Pod: strict decoding error: unknown field \"spec.containers[0].imagePullpolicy\"\ndid you mean \"imagePullPolicy\"?"
    );
    assert!(e.message_ko.contains("혹시 \"imagePullPolicy\""), "{}", e.message_ko);
}

#[test]
fn contianers_and_misplaced_fields() {
    let e =
        one("apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\nspec:\n  contianers:\n  - name: c\n    image: nginx\n");
    assert!(e.message.contains("did you mean \"containers\"?"), "{}", e.message);
    // `image` one level too high: not a field of the pod spec, but of a container.
    let e = one("apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\nspec:\n  image: nginx\n  containers:\n  - name: c\n    image: nginx\n");
    assert_eq!(e.path.as_deref(), Some("spec.image"));
    assert!(e.message.contains("belongs under an item of containers"), "{}", e.message);
}

#[test]
fn type_mismatches_are_located_with_advice() {
    let e = one(&POD.replace("    image: nginx\n", "    image: nginx\n    ports:\n    - containerPort: \"80\"\n"));
    assert_eq!(e.code, "TypeMismatch");
    assert_eq!(e.path.as_deref(), Some("spec.containers[0].ports[0].containerPort"));
    assert_eq!((e.line, e.column), (Some(10), Some(22)));
    assert!(e.message.contains("expected an integer (int32), but found the string \"80\""), "{}", e.message);
    assert!(e.message.contains("without quotes"), "{}", e.message);
    assert!(e.message_ko.contains("정수(int32)"), "{}", e.message_ko);

    let e = one(&POD.replace("  name: a\n", "  name: a\n  labels:\n    enabled: yes\n"));
    assert_eq!(e.path.as_deref(), Some("metadata.labels[enabled]"));
    assert!(e.message.contains("quote it"), "{}", e.message);

    let e =
        one(&POD.replace("    image: nginx\n", "    image: nginx\n    env:\n    - name: PORT\n      value: 8080\n"));
    assert_eq!(e.path.as_deref(), Some("spec.containers[0].env[0].value"));
    assert!(e.message.contains("\"8080\""), "{}", e.message);

    let e =
        one("apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\nspec:\n  containers:\n    name: c\n    image: nginx\n");
    assert_eq!(e.path.as_deref(), Some("spec.containers"));
    assert!(e.message.contains("start each item with `- `"), "{}", e.message);
}

#[test]
fn dash_without_space_inside_a_list() {
    // Valid YAML: the list holds a mapping with a key "-image".
    let e =
        one("apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\nspec:\n  containers:\n  - name: c\n    -image: nginx\n");
    assert_eq!(e.path.as_deref(), Some("spec.containers[0].-image"));
    assert!(e.message.contains("a list item needs a space after `-`"), "{}", e.message);
    // And where `containers:` gets a mapping instead of a list.
    let e = one("apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\nspec:\n  containers:\n    -image: nginx\n");
    assert_eq!(e.code, "TypeMismatch");
    assert!(e.message.contains("line 7 reads as a key named \"-image\""), "{}", e.message);
}

#[test]
fn bad_quantities_are_located() {
    let e =
        one(&POD
            .replace("    image: nginx\n", "    image: nginx\n    resources:\n      limits:\n        memory: 512MB\n"));
    assert_eq!(e.code, "InvalidQuantity");
    assert_eq!(e.path.as_deref(), Some("spec.containers[0].resources.limits[memory]"));
    assert_eq!(e.line, Some(11));
    assert!(e.message.contains("quantities must match the regular expression"), "{}", e.message);
    assert!(e.message.contains("512Mi"), "{}", e.message);
}

#[test]
fn duplicate_keys_are_located() {
    let e = one(&POD.replace("    image: nginx\n", "    image: nginx\n    image: httpd\n"));
    assert_eq!(e.code, "DuplicateKey");
    assert_eq!((e.line, e.column), (Some(9), Some(5)));
    assert_eq!(e.path.as_deref(), Some("spec.containers[0].image"));
    assert!(e.message.contains("key \"image\" already set in map"), "{}", e.message);
    let e = one("{\"apiVersion\": \"v1\", \"apiVersion\": \"v1\"}");
    assert_eq!(e.code, "DuplicateKey");
}

#[test]
fn syntax_errors_stop_the_stream_but_keep_earlier_documents() {
    let text = format!("{POD}---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: [b\n");
    let docs = decode(&text);
    assert_eq!(docs.len(), 2);
    assert!(docs[0].is_ok());
    let e = docs[1].as_ref().unwrap_err();
    assert_eq!((e.code, e.document), ("Syntax", 2));
    assert!(e.line.is_some());
}

#[test]
fn type_errors_keep_line_and_column() {
    let e = one("apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\nspec:\n  containers: 5\n");
    assert_eq!((e.document, e.line, e.column), (1, Some(6), Some(15)));
}

// ---- Validation ----

#[test]
fn validation_errors_are_aggregated_and_located() {
    let text = "\
apiVersion: v1
kind: Pod
metadata:
  name: x
  labels:
    app: web
    bad key: v
spec:
  restartPolicy: Sometimes
  containers:
  - name: web
    image: nginx
    resources:
      requests: {cpu: 2}
      limits: {cpu: 1}
  - name: web
";
    let e = one(text);
    assert_eq!(e.code, "Invalid");
    assert_eq!(
        e.message,
        "The Pod \"x\" is invalid: \n\
         * metadata.labels: Invalid value: \"bad key\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')\n\
         * spec.containers[0].resources.requests: Invalid value: \"2\": must be less than or equal to cpu limit of 1\n\
         * spec.containers[1].name: Duplicate value: \"web\"\n\
         * spec.containers[1].image: Required value\n\
         * spec.restartPolicy: Unsupported value: \"Sometimes\": supported values: \"Always\", \"OnFailure\", \"Never\""
    );
    let at: Vec<(String, Option<usize>, Option<usize>)> =
        e.causes.iter().map(|c| (c.path.clone(), c.line, c.column)).collect();
    assert_eq!(
        at,
        [
            ("metadata.labels".into(), Some(7), Some(5)),
            ("spec.containers[0].resources.requests".into(), Some(14), Some(18)),
            ("spec.containers[1].name".into(), Some(16), Some(5)),
            ("spec.containers[1].image".into(), Some(16), Some(5)),
            ("spec.restartPolicy".into(), Some(9), Some(3)),
        ]
    );
    assert_eq!((e.line, e.column), (Some(7), Some(5)));
    assert!(e.message_ko.starts_with("파드 \"x\"이(가) 유효하지 않습니다"), "{}", e.message_ko);
}

#[test]
fn names_follow_each_kind_rule() {
    let e = one(&POD.replace("name: a", "name: My_Pod"));
    assert!(e.message.starts_with(
        "The Pod \"My_Pod\" is invalid: metadata.name: Invalid value: \"My_Pod\": a lowercase RFC 1123 subdomain"
    ));
    let e = one("apiVersion: v1\nkind: Service\nmetadata: {name: 1web}\nspec: {ports: [{port: 80}]}\n");
    assert!(e.message.contains("a DNS-1035 label must consist"), "{}", e.message);
    let e = one("apiVersion: v1\nkind: Namespace\nmetadata: {name: my.ns}\n");
    assert!(e.message.ends_with("metadata.name: Invalid value: \"my.ns\": must not contain dots"), "{}", e.message);
    let e = one("apiVersion: v1\nkind: Pod\nmetadata: {}\nspec: {containers: [{name: c, image: nginx}]}\n");
    assert!(e.message.ends_with("metadata.name: Required value: name or generateName is required"), "{}", e.message);
    assert_eq!(ok("apiVersion: v1\nkind: Pod\nmetadata: {generateName: web-}\nspec: {containers: [{name: c, image: nginx}]}\n").name(), "");
}

#[test]
fn deployment_selector_must_match_template_labels() {
    let text = "\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: api
    spec:
      containers:
      - name: web
        image: nginx
";
    let e = one(text);
    assert_eq!(
        e.message,
        "The Deployment \"web\" is invalid: spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"api\"}: `selector` does not match template `labels`"
    );
    assert_eq!(e.line, Some(11));
    assert!(e.message_ko.contains("셀렉터"), "{}", e.message_ko);
}

#[test]
fn service_ports_are_required() {
    let e = one("apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector:\n    app: web\n");
    assert_eq!(e.message, "The Service \"web\" is invalid: spec.ports: Required value");
    assert_eq!(e.line, Some(5));
}

#[test]
fn probes_need_one_handler() {
    let e = one(&POD.replace("    image: nginx\n", "    image: nginx\n    livenessProbe:\n      periodSeconds: 5\n"));
    assert_eq!(
        e.message,
        "The Pod \"a\" is invalid: spec.containers[0].livenessProbe: Required value: must specify a handler type"
    );
    assert_eq!(e.line, Some(9));
}

#[test]
fn list_items_are_numbered() {
    let text = "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Secret\n  metadata: {name: s}\n- apiVersion: v1\n  kind: Namespace\n  metadata: {name: dev}\n";
    let docs = decode(text);
    assert_eq!(docs.len(), 2);
    let e = docs[0].as_ref().unwrap_err();
    assert_eq!((e.code, e.item, e.line), ("UnsupportedKind", Some(0), Some(5)));
    assert_eq!(docs[1].as_ref().unwrap().name(), "dev");
    assert!(decode("apiVersion: v1\nkind: List\nitems: []\n").is_empty());
}

#[test]
fn display_includes_item_and_location() {
    let e = one(&POD.replace("image: nginx", "image: \"\""));
    assert_eq!(
        e.to_string(),
        "document 1, line 8, column 5: The Pod \"a\" is invalid: spec.containers[0].image: Required value"
    );
}

#[test]
fn never_panics_on_odd_input() {
    for text in [
        "",
        "---",
        "...",
        "- - - -",
        "{",
        "}",
        ": :",
        "? ? ?",
        "&a *a",
        "!!binary x",
        "a: !!int 99999999999999999999999",
        "apiVersion: v1\nkind: Pod\nspec:\n  containers:\n  - ports:\n    - containerPort: 1e400\n",
        "apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec: {containers: [{name: c, image: nginx, resources: {limits: {cpu: .inf}}}]}",
        "apiVersion: v1\nkind: Pod\nmetadata: {name: a, creationTimestamp: not-a-time}\n",
        "apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec: {containers: [{name: c, image: nginx, livenessProbe: {httpGet: {port: [1]}}}]}",
        "\u{0}",
        "\t\t\t",
        "a: \"\\ud800\"",
        "<<: *x",
        "a: &x 1\n<<: *x\n",
    ] {
        let _ = decode(text);
    }
}

#[test]
fn json_values_read_back_through_the_manifest_decoder() {
    use serde_json::json;
    // A patched object: unknown fields dropped, types kept (strings with escapes, int-or-string).
    let pod: Pod = from_json(&json!({
        "metadata": {"name": "a\"b\u{1F600}", "labels": {"x": "1"}},
        "spec": {"containers": [{"name": "c", "image": "nginx", "ports": [{"containerPort": 80}],
                 "livenessProbe": {"httpGet": {"port": "http"}}, "bogus": true}]},
    }))
    .unwrap();
    assert_eq!(pod.metadata.name.as_deref(), Some("a\"b\u{1F600}"));
    let c = &pod.spec.as_ref().unwrap().containers[0];
    assert_eq!(c.ports.as_ref().unwrap()[0].container_port, 80);
    // A type error names its path.
    let err = from_json::<Pod>(&json!({"spec": {"containers": [{"name": 5}]}})).unwrap_err();
    assert!(err.starts_with("spec.containers[0].name: "), "{err}");
    // Patch text: YAML or JSON, the first document; empty is null.
    assert_eq!(to_json_value("a: 1\nb: [x, 'y']").unwrap(), json!({"a": 1, "b": ["x", "y"]}));
    assert_eq!(to_json_value(r#"{"spec":{"replicas":3}}"#).unwrap(), json!({"spec": {"replicas": 3}}));
    assert_eq!(to_json_value("").unwrap(), serde_json::Value::Null);
    assert!(to_json_value("a: [").is_err());
}
