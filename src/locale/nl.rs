//! Dutch texts, addressing the visitor as "u".

/// The feedback button.
pub const BUTTON: &str = "Feedback";

/// The feedback button when the form could not be loaded.
pub const UNAVAILABLE: &str = "Feedback niet beschikbaar, probeer opnieuw";

/// Every other text, one per line, in the order of [`super::Key`] (the dialog's and the survey card's).
pub const TEXTS: &str = "\
Hoe was uw ervaring?
★
1 van de 5 sterren: zeer slecht
2 van de 5 sterren: slecht
3 van de 5 sterren: redelijk
4 van de 5 sterren: goed
5 van de 5 sterren: zeer goed
Wat is er gebeurd? (optioneel)
U mag hierover contact met mij opnemen
E-mail
Versturen
Bezig met versturen…
Sluiten
Dank u wel. Uw feedback is bij ons aangekomen en we lezen elk bericht.
Helaas konden we uw antwoorden niet aannemen.
Kies een beoordeling of schrijf een paar woorden.
Vul het e-mailadres in waarop we contact met u mogen opnemen, of vink het vakje uit.
Opgeslagen. We versturen uw feedback zodra u weer online bent.
Helaas konden we uw feedback niet aannemen. Kopieer uw bericht, zodat het niet verloren gaat.
Mijn bericht kopiëren
Gekopieerd
Volgende
Overslaan
Beantwoord deze vraag.
Telefoon
Vul het telefoonnummer in waarop we u mogen bellen, of vink het vakje uit.
Helemaal niet waarschijnlijk
Zeer waarschijnlijk
Zeer ontevreden
Ontevreden
Neutraal
Tevreden
Zeer tevreden
Vertel ons er alstublieft meer over
Er is een korte enquête verschenen aan het einde van de pagina; met Tab na het laatste element van de pagina bereikt u deze:
1 van 5: zeer ontevreden
2 van 5: ontevreden
3 van 5: neutraal
4 van 5: tevreden
5 van 5: zeer tevreden
Het spijt me van ‘{}’. Dat had niet mogen gebeuren, en ik kan u hiermee helpen.
Het spijt me dat we u hebben teleurgesteld. Ik kan u hiermee helpen.
Wat zou voor u een eerlijke oplossing zijn?
Geld terug
Een vervanging
Korting op mijn volgende bestelling
Met iemand praten
Niets, ik wilde het u alleen laten weten
Iets anders
Hoe kunnen we u hierover bereiken?
Bedankt dat u het ons laat weten.
Uw dossiernummer is {}.
Uw kortingscode: {}
Code kopiëren
Nieuws over uw dossier {}
Er ging zojuist iets mis aan onze kant. Het spijt me: kan ik u helpen?
Het lijkt erop dat iets niet reageerde op uw klikken. Het spijt me: kan ik u helpen?
Iets op deze pagina werkte niet zoals het hoort. Het spijt me: kan ik u helpen?
Het lijkt erop dat dit veld u moeite kostte. Het spijt me: kan ik u helpen?";
