//! The app chrome around the screens (what an embed leaves out): the header with the screen
//! tabs and the document actions, the message bar and the share bar.

pub mod header;
pub mod message_bar;
pub mod share_bar;
