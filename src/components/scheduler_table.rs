//! The scheduler's table for one pod, from the engine's record of its last scheduling attempt
//! (`Scheduler::attempt`): per node, the Filter plugins in order with pass/fail and the reasons;
//! per node that passed, each Score plugin's normalised score × weight and the total; the chosen
//! node highlighted. Headed "Why Pending?" with the FailedScheduling message, or "Why this node?".

use kubesim::kubectl::humanize::human_duration;
use kubesim::scheduler::framework::Attempt;
use yew::prelude::*;

use crate::i18n::Lang;

/// Rows shown per table; the rest of a big cluster is summarised.
const MAX_ROWS: usize = 100;

/// A plugin name with break opportunities between its words (`Node<wbr>Resources<wbr>Fit`), so
/// the column stays narrow.
fn camel_breaks(name: &str) -> Html {
    let mut words: Vec<String> = Vec::new();
    let mut prev_lower = false;
    for c in name.chars() {
        if c.is_ascii_uppercase() && prev_lower {
            words.push(String::new());
        }
        match words.last_mut() {
            Some(w) => w.push(c),
            None => words.push(c.to_string()),
        }
        prev_lower = c.is_ascii_lowercase();
    }
    let parts = words.into_iter().enumerate().map(|(i, w)| {
        if i > 0 {
            html! { <><wbr />{ w }</> }
        } else {
            html! { { w } }
        }
    });
    html! { <>{ for parts }</> }
}

pub fn table(attempt: Option<&Attempt>, now: u64, lang: Lang) -> Html {
    let t = lang.ins();
    let Some(a) = attempt else {
        return html! {
            <div class="scheduler" data-testid="scheduler-view">
                <p class="hint" data-testid="scheduler-none">{ t.no_attempt }</p>
            </div>
        };
    };
    let pending = a.chosen.is_none();
    let filter_rows = a.nodes.iter().take(MAX_ROWS).map(|v| {
        let chosen = a.chosen.as_deref() == Some(&*v.node);
        let cells = a.filters.iter().enumerate().map(|(i, name)| {
            let (mark, class, title) = if i < v.passed {
                ("✓", "pass", format!("{name}: ✓"))
            } else if i == v.passed && v.failed.is_some() {
                ("✗", "fail", format!("{name}: ✗"))
            } else {
                ("–", "skip", format!("{name}: –"))
            };
            html! { <td class={classes!("mark", class)} {title}>{ mark }</td> }
        });
        let reason = match &v.failed {
            Some((plugin, r)) => format!("{plugin}: {}", r.reasons.join(", ")),
            None => t.feasible.to_string(),
        };
        html! {
            <tr class={classes!(chosen.then_some("chosen"), v.failed.is_some().then_some("rejected"))}
                data-testid="filter-row" data-node={v.node.to_string()} data-feasible={v.feasible().to_string()}>
                <th scope="row">{ &*v.node }{ if chosen { html! { <span class="chosen-mark">{ format!(" ← {}", t.chosen) }</span> } } else { html! {} } }</th>
                { for cells }
                <td class="reason">{ reason }</td>
            </tr>
        }
    });
    let hidden = a.nodes.len().saturating_sub(MAX_ROWS);
    let hidden_fits = a.nodes.iter().skip(MAX_ROWS).filter(|v| v.feasible()).count();
    let skipped = a.total_nodes.saturating_sub(a.nodes.len());

    // Score rows: nodes that passed every filter, best first (ties keep the filtering order).
    let mut feasible: Vec<_> = a.nodes.iter().filter(|v| v.feasible()).collect();
    kubesim::sorting::sort_by_key(&mut feasible, |v| std::cmp::Reverse(v.total.unwrap_or(0)));
    let score_names: Vec<&str> =
        feasible.first().map(|v| v.scores.iter().map(|(n, _, _)| *n).collect()).unwrap_or_default();
    let best = feasible.first().and_then(|v| v.total);
    let ties = feasible.iter().filter(|v| v.total == best).count();
    let score_rows = feasible.iter().take(MAX_ROWS).map(|v| {
        let chosen = a.chosen.as_deref() == Some(&*v.node);
        html! {
            <tr class={classes!(chosen.then_some("chosen"))} data-testid="score-row" data-node={v.node.to_string()}
                data-total={v.total.unwrap_or(0).to_string()} data-chosen={chosen.to_string()}>
                <th scope="row">{ &*v.node }{ if chosen { html! { <span class="chosen-mark">{ format!(" ← {}", t.chosen) }</span> } } else { html! {} } }</th>
                { for v.scores.iter().map(|(name, score, weight)| html! {
                    <td class="num" title={format!("{name}: {score} × {weight} = {}", score * weight)}>{ format!("{score}×{weight}") }</td>
                }) }
                <td class="num total">{ v.total.unwrap_or(0) }</td>
            </tr>
        }
    });
    let vertical =
        |name: &str| html! { <th scope="col" class="plugin" title={name.to_string()}>{ camel_breaks(name) }</th> };
    html! {
        <div class="scheduler" data-testid="scheduler-view">
            <h3 data-testid="scheduler-heading">{ if pending { t.why_pending } else { t.why_node } }</h3>
            if let Some(msg) = &a.message {
                <p class="failed-scheduling" data-testid="scheduler-message"><strong>{ t.failed_scheduling }</strong>{ " " }{ msg }</p>
            }
            if let Some(node) = &a.chosen {
                <p class="bound" data-testid="scheduler-chosen">{ lang.bound_to(node, ties) }</p>
            }
            <p class="muted">{ lang.attempt_age(&human_duration(now.saturating_sub(a.at))) }</p>
            <h4>{ t.filter_heading }</h4>
            <p class="muted">{ t.filter_legend }</p>
            <div class="table-scroll">
                <table class="sched filters" data-testid="filter-table">
                    <thead><tr>
                        <th scope="col">{ t.node_column }</th>
                        { for a.filters.iter().map(|n| vertical(n)) }
                        <th scope="col">{ t.reason_column }</th>
                    </tr></thead>
                    <tbody>{ for filter_rows }</tbody>
                </table>
            </div>
            if hidden > 0 {
                <p class="muted">{ lang.rows_hidden(hidden, hidden_fits) }</p>
            }
            if skipped > 0 {
                <p class="muted" data-testid="scheduler-skipped">{ lang.not_examined(skipped, a.total_nodes) }</p>
            }
            if !feasible.is_empty() {
                <h4>{ t.score_heading }</h4>
                <p class="muted">{ t.score_legend }</p>
                <div class="table-scroll">
                    <table class="sched scores" data-testid="score-table">
                        <thead><tr>
                            <th scope="col">{ t.node_column }</th>
                            { for score_names.iter().map(|n| vertical(n)) }
                            <th scope="col">{ t.total_column }</th>
                        </tr></thead>
                        <tbody>{ for score_rows }</tbody>
                    </table>
                </div>
            }
        </div>
    }
}
