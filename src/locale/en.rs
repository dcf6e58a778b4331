//! English texts, the fallback for every language without its own.

/// The feedback button.
pub const BUTTON: &str = "Feedback";

/// The feedback button when the form could not be loaded.
pub const UNAVAILABLE: &str = "Feedback unavailable, try again";

/// Every other text, one per line, in the order of [`super::Key`] (the dialog's and the survey card's).
pub const TEXTS: &str = "\
How was your experience?
★
1 of 5 stars: very bad
2 of 5 stars: bad
3 of 5 stars: okay
4 of 5 stars: good
5 of 5 stars: very good
What happened? (optional)
You may contact me about this
Email
Send
Sending…
Close
Thank you. Your feedback reached us, and we read every message.
Sorry, we could not accept your answers.
Please choose a rating or write a few words.
Please enter the email address we may contact you at, or untick the box.
Saved. We will send your feedback as soon as you are back online.
Sorry, we could not accept your feedback. Copy your message so it is not lost.
Copy my message
Copied
Next
Skip
Please answer this question.
Phone
Please enter the phone number we may call you at, or untick the box.
Not at all likely
Extremely likely
Very unsatisfied
Unsatisfied
Neutral
Satisfied
Very satisfied
Please tell us more
A short survey appeared at the end of the page; Tab from the last control of the page reaches it:
1 of 5: very unhappy
2 of 5: unhappy
3 of 5: neutral
4 of 5: happy
5 of 5: very happy
I'm sorry about “{}”. That should not have happened, and I can help with this.
I'm sorry we let you down. I can help with this.
What would be a fair solution for you?
A refund
A replacement
A discount on my next order
To talk to a person
Nothing, I just wanted you to know
Something else
How may we reach you about this?
Thank you for telling us.
Your case number is {}.
Your voucher code: {}
Copy the code
An update on your case {}
Something went wrong on our side just now. I'm sorry: can I help?
It looks like something did not respond to your clicks. I'm sorry: can I help?
Something on this page did not work as it should. I'm sorry: can I help?
It looks like that field gave you trouble. I'm sorry: can I help?";
