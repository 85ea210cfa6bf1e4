//! The CloudTrail panel: the record(s) the call produces, pretty-printed, with a copy button.

use yew::prelude::*;

/// CloudTrail panel properties.
#[derive(Clone, Debug, PartialEq, Properties)]
pub struct CloudTrailProps {
    /// The records as pretty JSON (one document; several records are a JSON array).
    pub json: AttrValue,
    /// Labels of the records (e.g. `sagemaker.amazonaws.com StopTrainingJob`, `lakeformation …`).
    #[prop_or_default]
    pub titles: Vec<AttrValue>,
}

/// The CloudTrail panel.
#[component]
pub fn CloudTrail(props: &CloudTrailProps) -> Html {
    let copied = use_state(|| false);
    let onclick = {
        let json = props.json.clone();
        let copied = copied.clone();
        Callback::from(move |_| {
            if let Some(w) = web_sys::window() {
                let _ = w.navigator().clipboard().write_text(&json);
                copied.set(true);
            }
        })
    };
    html! {
        <div class="cloudtrail">
            <div class="row" style="display:flex;gap:8px;align-items:center;margin-bottom:4px">
                <span class="chips">{ for props.titles.iter().map(|t| html! { <span class="chip">{ t }</span> }) }</span>
                <span class="spacer"></span>
                <button class="btn small" data-testid="copy-cloudtrail" {onclick}>{ if *copied { "Copied" } else { "Copy" } }</button>
            </div>
            <pre data-testid="cloudtrail" tabindex="0" aria-label="CloudTrail record">{ props.json.clone() }</pre>
        </div>
    }
}
