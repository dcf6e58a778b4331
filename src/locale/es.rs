//! Spanish texts, addressing the visitor as "usted".

/// The feedback button.
pub const BUTTON: &str = "Comentarios";

/// The feedback button when the form could not be loaded.
pub const UNAVAILABLE: &str = "Opinión no disponible, reintentar";

/// Every other text, one per line, in the order of [`super::Key`] (the dialog's and the survey card's).
pub const TEXTS: &str = "\
¿Qué tal fue su experiencia?
★
1 de 5 estrellas: muy mala
2 de 5 estrellas: mala
3 de 5 estrellas: regular
4 de 5 estrellas: buena
5 de 5 estrellas: muy buena
¿Qué ocurrió? (opcional)
Pueden contactarme al respecto
Correo electrónico
Enviar
Enviando…
Cerrar
Gracias. Hemos recibido sus comentarios y leemos todos los mensajes.
Lo sentimos, no hemos podido aceptar sus respuestas.
Por favor, elija una valoración o escriba unas palabras.
Por favor, introduzca el correo electrónico en el que podemos contactarle, o desmarque la casilla.
Guardado. Enviaremos sus comentarios en cuanto vuelva a estar en línea.
Lo sentimos, no hemos podido aceptar sus comentarios. Copie su mensaje para no perderlo.
Copiar mi mensaje
Copiado
Siguiente
Omitir
Por favor, responda a esta pregunta.
Teléfono
Por favor, introduzca el número de teléfono en el que podemos llamarle, o desmarque la casilla.
Nada probable
Extremadamente probable
Muy insatisfecho
Insatisfecho
Neutral
Satisfecho
Muy satisfecho
Por favor, cuéntenos más
Ha aparecido una breve encuesta al final de la página; puede llegar a ella con Tab desde el último elemento de la página:
1 de 5: muy descontento
2 de 5: descontento
3 de 5: neutral
4 de 5: contento
5 de 5: muy contento
Siento mucho lo de «{}». No debería haber pasado, y puedo ayudarle.
Siento mucho haberle decepcionado. Puedo ayudarle.
¿Qué sería una solución justa para usted?
Un reembolso
Un reemplazo
Un descuento en mi próximo pedido
Hablar con una persona
Nada, solo quería que lo supieran
Otra cosa
¿Cómo podemos contactarle sobre esto?
Gracias por contárnoslo.
Su número de caso es {}.
Su código de descuento: {}
Copiar el código
Novedades sobre su caso {}
Algo acaba de fallar por nuestra parte. Lo siento: ¿puedo ayudarle?
Parece que algo no respondió a sus clics. Lo siento: ¿puedo ayudarle?
Algo en esta página no funcionó como debía. Lo siento: ¿puedo ayudarle?
Parece que este campo le ha dado problemas. Lo siento: ¿puedo ayudarle?";
