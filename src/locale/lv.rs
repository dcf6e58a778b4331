//! Latvian texts, addressing the visitor as "Jūs".

/// The feedback button.
pub const BUTTON: &str = "Atsauksmes";

/// The feedback button when the form could not be loaded.
pub const UNAVAILABLE: &str = "Atsauksmes nav pieejamas, mēģiniet vēlreiz";

/// Every other text, one per line, in the order of [`super::Key`] (the dialog's and the survey card's).
pub const TEXTS: &str = "\
Kāda bija Jūsu pieredze?
★
1 no 5 zvaigznēm: ļoti slikti
2 no 5 zvaigznēm: slikti
3 no 5 zvaigznēm: normāli
4 no 5 zvaigznēm: labi
5 no 5 zvaigznēm: ļoti labi
Kas notika? (neobligāti)
Jūs drīkstat ar mani par to sazināties
E-pasts
Sūtīt
Notiek sūtīšana…
Aizvērt
Paldies! Jūsu atsauksme ir saņemta, un mēs izlasām katru ziņojumu.
Diemžēl mēs nevarējām pieņemt Jūsu atbildes.
Lūdzu, izvēlieties vērtējumu vai uzrakstiet dažus vārdus.
Lūdzu, ievadiet e-pasta adresi, uz kuru drīkstam ar Jums sazināties, vai noņemiet atzīmi.
Saglabāts. Mēs nosūtīsim Jūsu atsauksmi, tiklīdz būsiet atkal tiešsaistē.
Diemžēl mēs nevarējām pieņemt Jūsu atsauksmi. Nokopējiet savu ziņojumu, lai tas nepazustu.
Kopēt manu ziņojumu
Nokopēts
Tālāk
Izlaist
Lūdzu, atbildiet uz šo jautājumu.
Tālrunis
Lūdzu, ievadiet tālruņa numuru, uz kuru drīkstam Jums zvanīt, vai noņemiet atzīmi.
Nemaz nav ticams
Ļoti ticams
Ļoti neapmierināts
Neapmierināts
Neitrāli
Apmierināts
Ļoti apmierināts
Lūdzu, pastāstiet vairāk
Lapas beigās parādījās īsa aptauja; to var sasniegt ar tabulēšanas taustiņu pēc lapas pēdējā elementa:
1 no 5: ļoti neapmierināts
2 no 5: neapmierināts
3 no 5: neitrāli
4 no 5: apmierināts
5 no 5: ļoti apmierināts
Man ļoti žēl par “{}”. Tam nevajadzēja notikt, un es varu Jums palīdzēt.
Man ļoti žēl, ka Jūs pievīlām. Es varu Jums palīdzēt.
Kāds risinājums Jums šķistu taisnīgs?
Naudas atmaksa
Nomaiņa
Atlaide nākamajam pasūtījumam
Runāt ar cilvēku
Neko, es tikai gribēju, lai Jūs zināt
Kaut kas cits
Kā mēs varam ar Jums sazināties par šo?
Paldies, ka pastāstījāt.
Jūsu lietas numurs ir {}.
Jūsu kupona kods: {}
Kopēt kodu
Jaunumi par jūsu lietu {}
Tikko mūsu pusē kaut kas nogāja greizi. Man žēl: vai varu Jums palīdzēt?
Izskatās, ka kaut kas nereaģēja uz Jūsu klikšķiem. Man žēl: vai varu Jums palīdzēt?
Kaut kas šajā lapā nedarbojās, kā vajadzētu. Man žēl: vai varu Jums palīdzēt?
Izskatās, ka šis lauks Jums sagādāja grūtības. Man žēl: vai varu Jums palīdzēt?";
