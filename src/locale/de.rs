//! German texts, addressing the visitor as "Sie".

/// The feedback button.
pub const BUTTON: &str = "Feedback";

/// The feedback button when the form could not be loaded.
pub const UNAVAILABLE: &str = "Feedback nicht verfügbar, erneut versuchen";

/// Every other text, one per line, in the order of [`super::Key`] (the dialog's and the survey card's).
pub const TEXTS: &str = "\
Wie war Ihre Erfahrung?
★
1 von 5 Sternen: sehr schlecht
2 von 5 Sternen: schlecht
3 von 5 Sternen: in Ordnung
4 von 5 Sternen: gut
5 von 5 Sternen: sehr gut
Was ist passiert? (optional)
Sie dürfen mich dazu kontaktieren
E-Mail
Senden
Wird gesendet…
Schließen
Vielen Dank. Ihr Feedback ist bei uns angekommen, und wir lesen jede Nachricht.
Leider konnten wir Ihre Antworten nicht annehmen.
Bitte wählen Sie eine Bewertung oder schreiben Sie ein paar Worte.
Bitte geben Sie die E-Mail-Adresse an, unter der wir Sie kontaktieren dürfen, oder entfernen Sie das Häkchen.
Gespeichert. Wir senden Ihr Feedback, sobald Sie wieder online sind.
Leider konnten wir Ihr Feedback nicht annehmen. Kopieren Sie Ihre Nachricht, damit sie nicht verloren geht.
Meine Nachricht kopieren
Kopiert
Weiter
Überspringen
Bitte beantworten Sie diese Frage.
Telefon
Bitte geben Sie die Telefonnummer an, unter der wir Sie anrufen dürfen, oder entfernen Sie das Häkchen.
Überhaupt nicht wahrscheinlich
Äußerst wahrscheinlich
Sehr unzufrieden
Unzufrieden
Neutral
Zufrieden
Sehr zufrieden
Bitte erzählen Sie uns mehr
Eine kurze Umfrage ist am Ende der Seite erschienen; mit der Tabulatortaste nach dem letzten Element der Seite erreichen Sie sie:
1 von 5: sehr unzufrieden
2 von 5: unzufrieden
3 von 5: neutral
4 von 5: zufrieden
5 von 5: sehr zufrieden
Es tut mir leid wegen „{}“. Das hätte nicht passieren dürfen, und ich kann Ihnen dabei helfen.
Es tut mir leid, dass wir Sie enttäuscht haben. Ich kann Ihnen dabei helfen.
Was wäre für Sie eine faire Lösung?
Eine Erstattung
Ein Ersatz
Ein Rabatt auf meine nächste Bestellung
Mit einer Person sprechen
Nichts, ich wollte es Sie nur wissen lassen
Etwas anderes
Wie können wir Sie dazu erreichen?
Danke, dass Sie es uns gesagt haben.
Ihre Fallnummer ist {}.
Ihr Gutscheincode: {}
Code kopieren
Neues zu Ihrem Fall {}
Gerade ist bei uns etwas schiefgelaufen. Das tut mir leid: Kann ich Ihnen helfen?
Es sieht so aus, als hätte etwas nicht auf Ihre Klicks reagiert. Das tut mir leid: Kann ich Ihnen helfen?
Etwas auf dieser Seite hat nicht funktioniert, wie es sollte. Das tut mir leid: Kann ich Ihnen helfen?
Es sieht so aus, als hätte Ihnen dieses Feld Schwierigkeiten bereitet. Das tut mir leid: Kann ich Ihnen helfen?";
