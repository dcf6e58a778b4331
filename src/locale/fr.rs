//! French texts, addressing the visitor as "vous". French typography puts a no-break space before `:` (`\u{a0}`)
//! and a narrow one before `?` (`\u{202f}`), so neither sign is ever wrapped onto a line of its own.

/// The feedback button.
pub const BUTTON: &str = "Votre avis";

/// The feedback button when the form could not be loaded.
pub const UNAVAILABLE: &str = "Avis indisponible, réessayer";

/// Every other text, one per line, in the order of [`super::Key`] (the dialog's and the survey card's).
pub const TEXTS: &str = "\
Comment s’est passée votre expérience\u{202f}?
★
1 étoile sur 5\u{a0}: très mauvais
2 étoiles sur 5\u{a0}: mauvais
3 étoiles sur 5\u{a0}: correct
4 étoiles sur 5\u{a0}: bien
5 étoiles sur 5\u{a0}: très bien
Que s’est-il passé\u{202f}? (facultatif)
Vous pouvez me contacter à ce sujet
E-mail
Envoyer
Envoi en cours…
Fermer
Merci. Votre avis nous est bien parvenu, et nous lisons chaque message.
Désolé, nous n’avons pas pu accepter vos réponses.
Veuillez choisir une note ou écrire quelques mots.
Veuillez saisir l’adresse e-mail à laquelle nous pouvons vous contacter, ou décocher la case.
Enregistré. Nous enverrons votre avis dès que vous serez de nouveau en ligne.
Désolé, nous n’avons pas pu accepter votre avis. Copiez votre message pour ne pas le perdre.
Copier mon message
Copié
Suivant
Passer
Veuillez répondre à cette question.
Téléphone
Veuillez saisir le numéro de téléphone auquel nous pouvons vous appeler, ou décocher la case.
Pas du tout probable
Extrêmement probable
Très insatisfait
Insatisfait
Neutre
Satisfait
Très satisfait
Veuillez préciser
Un court questionnaire est apparu en fin de page ; la touche Tab après le dernier élément de la page vous y mène :
1 sur 5 : très mécontent
2 sur 5 : mécontent
3 sur 5 : neutre
4 sur 5 : content
5 sur 5 : très content
Je suis désolé pour « {} ». Cela n’aurait pas dû arriver, et je peux vous aider.
Je suis désolé de vous avoir déçu. Je peux vous aider.
Quelle serait une solution juste pour vous ?
Un remboursement
Un remplacement
Une remise sur ma prochaine commande
Parler à quelqu’un
Rien, je voulais simplement vous le dire
Autre chose
Comment pouvons-nous vous joindre à ce sujet ?
Merci de nous l’avoir signalé.
Votre numéro de dossier est {}.
Votre code de réduction : {}
Copier le code
Du nouveau sur votre dossier {}
Un problème vient de se produire de notre côté. J’en suis désolé\u{a0}: puis-je vous aider\u{202f}?
On dirait que quelque chose n’a pas réagi à vos clics. J’en suis désolé\u{a0}: puis-je vous aider\u{202f}?
Quelque chose sur cette page n’a pas fonctionné comme prévu. J’en suis désolé\u{a0}: puis-je vous aider\u{202f}?
On dirait que ce champ vous a posé problème. J’en suis désolé\u{a0}: puis-je vous aider\u{202f}?";
