//! The Abacus playground app (trunk entry point).

use yew::prelude::*;

#[component]
fn App() -> Html {
    html! { <main><h1>{ "Abacus" }</h1></main> }
}

fn main() {
    yew::Renderer::<App>::new().render();
}
